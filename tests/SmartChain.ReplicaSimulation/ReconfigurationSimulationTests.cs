namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Reconfiguration under the whole-replica simulation in CI: a JOIN then a LEAVE, a JOIN then an EXCLUDE, with the
/// seed's faults, every invariant checked (ledgers identical at every common height, the joiner's from its first block;
/// every acknowledged request exactly once; receipts verify from genesis across the view changes; liveness; a removed
/// replica erases its keys and nothing after its removal carries its signature); and the seeds the swarm failed on.
/// </summary>
public sealed class ReconfigurationSimulationTests
{
    // Seeds the swarm failed on: a replica down (or cut off) while the view changed came back with blocks of the old view
    // it had not certified; the members had erased their keys of that view, so a signature they no longer could make was
    // all its re-certification asked for, and its certified prefix stayed below them for good.
    [Theory]
    [InlineData(6UL)]
    public void A_replica_that_missed_a_view_change_certifies_its_old_blocks_again(ulong seed)
    {
        SimOutcome outcome = ReplicaSimulation.Run(seed);

        Assert.Contains("join", outcome.Reconfigured);
        Assert.True(outcome.Passed, outcome.ToString());
    }
}
