using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Tests;

public sealed class NormalCaseTests : IDisposable
{
    private readonly TestCluster _cluster = new();
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);
    private readonly Ed25519KeyPair _bob = TestCluster.Key(2);

    public void Dispose()
    {
        _cluster.Dispose();
        _alice.Dispose();
        _bob.Dispose();
    }

    [Fact]
    public void Every_replica_decides_the_same_batch_with_a_valid_proof()
    {
        SignedRequest request = TestCluster.Request(_alice, 1);
        _cluster.Submit(request);

        for (int i = 0; i < 4; i++)
        {
            Decision decision = Assert.Single(_cluster.Decisions[i]);
            Assert.Equal(1, decision.Instance);
            Assert.Equal(request.Digest, Assert.Single(decision.Batch).Digest);
            Assert.Equal([true], decision.Fresh);
            Assert.Null(decision.Proof.Verify(_cluster.View, TestCluster.Chain, 1, 0, decision.BatchHash));
            Assert.True(decision.Proof.Votes.Count >= _cluster.View.Q);
            Assert.Equal(1, _cluster.Cores[i].LastDecided);
            Assert.Empty(_cluster.Events[i]);
        }
    }

    [Fact]
    public void Votes_are_handed_out_for_persistence_before_they_are_sent()
    {
        _cluster.Submit(TestCluster.Request(_alice, 1));
        // The leader (replica 0) also persists its proposal, batch included, to propose the same after a crash.
        Assert.Equal([MessageType.Propose, MessageType.Write, MessageType.Accept], _cluster.Persisted[0].Select(v => v.Kind));
        Assert.Single(_cluster.Persisted[0][0].Batch!);
        for (int i = 1; i < 4; i++)
        {
            Assert.Equal([MessageType.Write, MessageType.Accept], _cluster.Persisted[i].Select(v => v.Kind));
        }
    }

    [Fact]
    public void The_next_instance_is_ordered_right_after_a_decision_without_waiting_for_execution()
    {
        // Only the leader holds the requests, so each decision frees it to propose the next batch at once.
        var cluster = new TestCluster(maxBatch: 1);
        for (ulong s = 1; s <= 3; s++)
        {
            cluster.Cores[0].Submit(TestCluster.Request(_alice, s));
        }

        cluster.Submit(TestCluster.Request(_alice, 4), 0);
        Assert.Equal([1L, 2L, 3L, 4L], cluster.Decisions[3].Select(d => d.Instance));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], cluster.Decisions[3].Select(d => d.Batch[0].Sequence));
        cluster.Dispose();
    }

    [Fact]
    public void Batches_are_fair_across_clients_and_keep_each_clients_order()
    {
        var cluster = new TestCluster(maxBatch: 4);
        for (ulong s = 1; s <= 4; s++)
        {
            cluster.Cores[0].Submit(TestCluster.Request(_alice, s));
        }

        cluster.Cores[0].Submit(TestCluster.Request(_bob, 1));
        cluster.Cores[0].Submit(TestCluster.Request(_bob, 2));
        cluster.TickAll(5); // the leader proposed at the first submit; the retransmit tick drives the rest

        IReadOnlyList<SignedRequest> all = [.. cluster.Decisions[1].SelectMany(d => d.Batch)];
        Assert.Equal(6, all.Count);
        Assert.Equal([1UL, 2UL, 3UL, 4UL], all.Where(r => r.Client == _alice.PublicKey).Select(r => r.Sequence));
        Assert.Contains(cluster.Decisions[1].Skip(1).First().Batch, r => r.Client == _bob.PublicKey);
        cluster.Dispose();
    }

    [Fact]
    public void A_replica_that_missed_an_instance_fetches_the_decision_and_its_proof()
    {
        _cluster.Filter = (_, to, _) => to != 3;
        _cluster.Submit(TestCluster.Request(_alice, 1), 0, 1, 2);
        Assert.Empty(_cluster.Decisions[3]);
        Assert.Single(_cluster.Decisions[0]);

        _cluster.Filter = (_, _, _) => true;
        _cluster.TickAll(5);
        Decision caughtUp = Assert.Single(_cluster.Decisions[3]);
        Assert.Equal(_cluster.Decisions[0][0].BatchHash, caughtUp.BatchHash);
        Assert.Empty(_cluster.Events[3]);
    }
}
