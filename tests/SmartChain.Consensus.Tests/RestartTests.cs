using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Consensus.Tests;

/// <summary>Replicas restarted from their persisted votes never vote for another batch in the same instance.</summary>
public sealed class RestartTests : IDisposable
{
    private readonly TestCluster _cluster = new();
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);

    public void Dispose()
    {
        _alice.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public void After_every_replica_crashes_mid_instance_the_leader_proposes_the_same_batch_again_and_it_is_decided()
    {
        // Instance 1 gets its WRITEs and ACCEPTs persisted everywhere, but no ACCEPT is delivered: nobody decides.
        _cluster.Filter = (_, _, m) => m is not Accept;
        _cluster.Submit(TestCluster.Request(_alice, 1, "first"), 0);
        Assert.All(_cluster.Decisions, d => Assert.Empty(d));
        Hash256 voted = _cluster.Persisted[1].Single(v => v.Kind == MessageType.Accept).BatchHash;

        _cluster.Filter = (_, _, _) => true;
        _cluster.Lose();
        for (int i = 0; i < 4; i++)
        {
            _cluster.Restart(i);
        }

        _cluster.Run();
        _cluster.TickAll(10);
        Assert.All(_cluster.Decisions, d => Assert.Equal((1L, voted), (d.Single().Instance, d.Single().BatchHash)));
    }

    [Fact]
    public void After_every_replica_crashes_the_next_regency_keeps_the_batch_a_quorum_accepted()
    {
        // Instance 1 gets Q ACCEPTs persisted (one replica may have decided it), but none is delivered before the
        // whole cluster crashes. The old leader stays down, so the others must change regency to go on.
        using var cluster = new TestCluster(requestTimeoutTicks: 20);
        cluster.Filter = (_, _, m) => m is not Accept;
        cluster.Submit(TestCluster.Request(_alice, 1, "first"), 0);
        Hash256 accepted = cluster.Persisted[1].Single(v => v.Kind == MessageType.Accept).BatchHash;
        cluster.Lose();
        cluster.Filter = (from, to, _) => from != 0 && to != 0;
        for (int i = 0; i < 4; i++)
        {
            cluster.Restart(i);
        }

        cluster.Submit(TestCluster.Request(_alice, 2, "second"), 1, 2, 3);
        cluster.TickAll(100);

        // The new leader learns the accepted batch from the restored write certificates in the STOPDATAs.
        Assert.Contains(cluster.Sent, s => s.From == 2 && s.Message is StopData { Certificate: { } c } && c.BatchHash == accepted);
        for (int i = 1; i < 4; i++)
        {
            Decision first = cluster.Decisions[i].First();
            Assert.Equal((1L, accepted), (first.Instance, first.BatchHash));
        }
    }

    [Fact]
    public void A_replica_that_voted_before_a_restart_refuses_a_different_batch_in_that_instance_and_regency()
    {
        _cluster.Filter = (_, _, m) => m is not Accept;
        _cluster.Submit(TestCluster.Request(_alice, 1, "first"), 0);
        _cluster.Lose();
        _cluster.Restart(1);
        _cluster.Events[1].Clear();

        var other = new Propose(0, 1, 0, [TestCluster.Request(_alice, 2, "second")]);
        _cluster.Inject(0, 1, other);

        ConsensusEvent refused = Assert.Single(_cluster.Events[1], e => e.Kind == "conflicts-with-restored-vote");
        Assert.True(refused.IsEvidence);
        Assert.DoesNotContain(_cluster.Sent, s => s.From == 1 && s.Message is Write w && w.BatchHash == BatchHash.Compute(other.Batch));
    }

    [Fact]
    public void Votes_for_instances_already_in_the_ledger_are_ignored()
    {
        _cluster.Submit(TestCluster.Request(_alice, 1));
        Assert.Single(_cluster.Decisions[2]);
        _cluster.Restart(2, lastDecided: 1);
        _cluster.Submit(TestCluster.Request(_alice, 2));
        Assert.Equal([1L, 2L], _cluster.Decisions[2].Select(d => d.Instance));
    }
}
