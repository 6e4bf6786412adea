using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Consensus.Tests;

/// <summary>
/// Second reader's finding 4: a replica restarted from its STOP record comes back in that regency, unsynced, and nobody
/// resends it that regency's SYNC. The first proven decision of its own regency (AdoptRegency) must sync it, or it
/// drops every vote of the regency and the others lack its vote for a quorum.
/// </summary>
public sealed class RestartedRegencyTests : IDisposable
{
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);

    public void Dispose() => _alice.Dispose();

    [Fact]
    public void A_replica_restarted_in_its_regency_syncs_on_a_proven_decision_of_that_regency_and_votes_in_it()
    {
        // Replica 0 (regency 0's leader) is cut off: the others change to regency 1 (leader 1) and decide instance 1 there.
        using var cluster = new TestCluster(requestTimeoutTicks: 20);
        cluster.Filter = (from, to, _) => from != 0 && to != 0;
        cluster.Submit(TestCluster.Request(_alice, 1, "first"), 1, 2, 3);
        cluster.TickAll(60);
        Assert.All([1, 2, 3], i => Assert.Equal((1L, 1), (cluster.Decisions[i].Single().Instance, cluster.Decisions[i].Single().Regency)));

        // Replica 3 crashes before its ledger kept instance 1: it restarts in regency 1 (its STOP record), not synced.
        cluster.Restart(3, lastDecided: 0);
        Assert.Equal(1, cluster.Cores[3].Regency);

        // Its FETCH brings the proven decision of instance 1, decided in regency 1 (fewer ticks than a request timeout).
        cluster.TickAll(5);
        Assert.Equal(1L, cluster.Decisions[3][^1].Instance);

        // Instance 2 needs replica 3's vote: only 1, 2 and 3 are reachable, and Q = 3.
        cluster.Submit(TestCluster.Request(_alice, 2, "second"), 1, 2, 3);
        Assert.Contains(cluster.Sent, s => s.From == 3 && s.Message is Write { Instance: 2, Regency: 1 });
        Assert.All([1, 2, 3], i => Assert.Contains(cluster.Decisions[i], d => d.Instance == 2 && d.Regency == 1));
    }
}
