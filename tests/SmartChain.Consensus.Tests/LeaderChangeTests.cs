using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Consensus.Tests;

/// <summary>The synchronization phase: a faulty leader is replaced and what may have been decided is kept.</summary>
public sealed class LeaderChangeTests : IDisposable
{
    private readonly TestCluster _cluster = new(requestTimeoutTicks: 20);
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);

    public void Dispose()
    {
        _alice.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public void A_crashed_leader_is_replaced_and_the_pending_request_is_decided_in_the_next_regency()
    {
        _cluster.Filter = (from, to, _) => from != 0 && to != 0; // replica 0, the leader of regency 0, is dead
        _cluster.Submit(TestCluster.Request(_alice, 1), 1, 2, 3);
        Assert.All(_cluster.Decisions, d => Assert.Empty(d));

        _cluster.TickAll(60);

        for (int i = 1; i < 4; i++)
        {
            Decision decision = Assert.Single(_cluster.Decisions[i]);
            Assert.Equal((1L, 1), (decision.Instance, decision.Regency));
            Assert.Equal(1, _cluster.Cores[i].Regency);
            Assert.Equal(1, _cluster.Cores[i].Leader);
        }
    }

    [Fact]
    public void A_batch_that_may_have_been_decided_is_kept_by_the_new_leader()
    {
        // Regency 0: everyone writes and accepts the batch, but only the leader receives the ACCEPTs: it decides (and
        // may have told a client), then dies. The others must decide the same batch, found in their write certificates.
        _cluster.Filter = (from, to, m) => m is not Accept || to == 0;
        _cluster.Submit(TestCluster.Request(_alice, 1, "first"), 0, 1, 2, 3);
        Hash256 decided = Assert.Single(_cluster.Decisions[0]).BatchHash;
        Assert.Empty(_cluster.Decisions[1]);

        // Regency 0's ACCEPTs stay lost (no one else decides in regency 0), so only leader change can finish it.
        _cluster.Filter = (from, to, m) => from != 0 && to != 0 && (m is not Accept || m.Regency > 0);
        _cluster.Submit(TestCluster.Request(_alice, 2, "second"), 1, 2, 3);
        _cluster.TickAll(60);
        for (int i = 1; i < 4; i++)
        {
            Assert.Equal((1L, decided, 1), (_cluster.Decisions[i][0].Instance, _cluster.Decisions[i][0].BatchHash, _cluster.Decisions[i][0].Regency));
            Assert.Equal(2, _cluster.Decisions[i].Count); // and the next request after it
        }
    }

    [Fact]
    public void A_sync_whose_batch_does_not_follow_from_its_stopdatas_is_refused_as_evidence()
    {
        _cluster.Filter = (from, to, m) => from != 0 && to != 0 && m is not Sync; // hold SYNCs back, leader 0 dead
        _cluster.Submit(TestCluster.Request(_alice, 1), 1, 2, 3);
        _cluster.TickAll(40);
        Sync sync = (Sync)_cluster.Sent.Last(s => s.Message is Sync).Message;

        // The leader of regency 1 swaps in a batch no certificate backs.
        var forged = sync with { Batch = [TestCluster.Request(_alice, 9, "forged")] };
        _cluster.Inject(from: 1, to: 2, forged);
        Assert.Contains(_cluster.Events[2], e => e.Kind == "invalid-sync" && e.From == 1 && e.IsEvidence);
        Assert.Empty(_cluster.Decisions[2]);
    }

    [Fact]
    public void A_request_only_one_replica_received_is_forwarded_and_ordered_without_a_leader_change()
    {
        _cluster.Submit(TestCluster.Request(_alice, 1), 2); // the client reached replica 2 only
        Assert.All(_cluster.Decisions, d => Assert.Empty(d));

        _cluster.TickAll(15); // half the request timeout (20 ticks)
        Assert.Contains(_cluster.Sent, s => s.From == 2 && s.Message is Forward);
        Assert.All(_cluster.Decisions, d => Assert.Equal(0, d.Single().Regency));
    }

    [Fact]
    public void One_replica_alone_cannot_force_a_regency_change()
    {
        _cluster.Inject(from: 3, to: 1, new StopMessage(0, 1, 1));
        _cluster.Inject(from: 3, to: 2, new StopMessage(0, 1, 1));
        Assert.All(_cluster.Cores, c => Assert.Equal(0, c.Regency));
        _cluster.Submit(TestCluster.Request(_alice, 1));
        Assert.All(_cluster.Decisions, d => Assert.Equal(0, d.Single().Regency));
    }
}
