using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Consensus.Tests;

/// <summary>
/// The driver holds proposals while it feeds the core a burst of inputs it drained at once (docs/performance.md,
/// "Cheaper, fuller instances"): the leader then proposes once, with everything the burst brought.
/// </summary>
public sealed class HeldProposalTests : IDisposable
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
    public void A_burst_of_requests_held_is_proposed_as_one_batch_at_release()
    {
        ReplicaCore leader = _cluster.Cores[0];
        leader.HoldProposals();
        leader.Submit(TestCluster.Request(_alice, 1));
        leader.Submit(TestCluster.Request(_bob, 1));
        leader.Submit(TestCluster.Request(_alice, 2));
        Assert.DoesNotContain(leader.TakeReady().Messages, m => m.Message is Propose);

        _cluster.Do(0, core => core.ReleaseProposals());

        Propose propose = Assert.Single(_cluster.Sent.Select(s => s.Message).OfType<Propose>().Distinct());
        Assert.Equal(3, propose.Batch.Count);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(3, Assert.Single(_cluster.Decisions[i]).Batch.Count);
        }
    }

    [Fact]
    public void Without_a_hold_the_first_request_is_proposed_alone()
    {
        ReplicaCore leader = _cluster.Cores[0];
        leader.Submit(TestCluster.Request(_alice, 1));
        leader.Submit(TestCluster.Request(_bob, 1));
        Propose propose = Assert.Single(leader.TakeReady().Messages.Select(m => m.Message).OfType<Propose>());
        Assert.Single(propose.Batch);
    }

    [Fact]
    public void A_decision_inside_a_held_burst_opens_the_next_instance_but_proposes_at_release()
    {
        var cluster = new TestCluster(maxBatch: 1);
        ReplicaCore leader = cluster.Cores[0];
        cluster.Submit(TestCluster.Request(_alice, 1), 0); // instance 1 decided everywhere
        leader.HoldProposals();
        leader.Submit(TestCluster.Request(_alice, 2));
        Assert.Equal(1, leader.LastDecided);
        Assert.DoesNotContain(leader.TakeReady().Messages, m => m.Message is Propose);

        cluster.Do(0, core => core.ReleaseProposals());
        Assert.Equal([1L, 2L], cluster.Decisions[3].Select(d => d.Instance));
        cluster.Dispose();
    }
}
