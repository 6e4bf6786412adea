namespace SmartChain.ReplicaSimulation;

/// <summary>
/// A removed replica that missed the decision removing it, under the whole-replica simulation: seeds the 10,000-seed swarm
/// failed on. It must learn its removal from the members, from a proof (the decision by FETCH, checked against its view's
/// keys, or the certified block by state transfer), then retire as a decided removal does (every view key erased, the
/// host's <c>Removed</c> completes), with a ledger that ends at the block that removed it.
/// </summary>
public sealed class RemovedReplicaSimulationTests
{
    // Seed 49 (r4 excluded by block 19) and seed 255 (r3, a founder, leaves by block 19): the removed replica missed the
    // decision and had no way to learn it. The members refused its FETCH (not in their view) and closed its links once
    // the block was certified; it stayed in the old view with its keys for good ("did not retire within 30000 virtual ms").
    [Theory]
    [InlineData(49UL, "exclude")]
    [InlineData(255UL, "leave")]
    public void A_removed_replica_that_missed_its_removal_learns_it_from_the_members_and_retires(ulong seed, string removal)
    {
        SimOutcome outcome = ReplicaSimulation.Run(seed);

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Contains(removal, outcome.Reconfigured);
        Assert.Equal(0, outcome.Escapes);
    }

    // Seeds 1321 (r4 leaves by block 8) and 55 (r4 leaves by block 11): the removed replica caught up by state transfer
    // and went on past its removal: a block of the new view was appended to its ledger after it had retired ("removed
    // replica 4 holds blocks up to 9, after block 8 that removed it"). A removed replica's ledger now ends at the block
    // that removed it.
    [Theory]
    [InlineData(1321UL, "leave")]
    [InlineData(55UL, "leave")]
    public void A_removed_replica_appends_nothing_after_the_block_that_removed_it(ulong seed, string removal)
    {
        SimOutcome outcome = ReplicaSimulation.Run(seed);

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Contains(removal, outcome.Reconfigured);
    }
}
