namespace SmartChain.ReplicaSimulation;

/// <summary>A JOIN's votes under the whole-replica simulation: seeds the 10,000-seed swarm failed on.</summary>
public sealed class JoinVoteSimulationTests
{
    // Seed 6373: the JOIN was executed while replica 1 crashed and replica 3 was cut off; both came back by replaying their
    // ledgers, and their reply to the joiner's retransmitted JOIN (a duplicate, from the reply cache recovery rebuilt)
    // carried no vote. The joiner counts only answers whose vote verifies, so it had 2 of the 3 it needs, for good
    // ("liveness: the JOIN was not answered by a quorum within the bound"). Recovery now signs the vote again.
    [Fact]
    public void A_replica_that_replayed_an_approved_join_votes_again_when_the_joiner_asks()
    {
        SimOutcome outcome = ReplicaSimulation.Run(6373);

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Contains("join", outcome.Reconfigured);
        Assert.True(outcome.Restarts >= 2, outcome.ToString());
    }
}
