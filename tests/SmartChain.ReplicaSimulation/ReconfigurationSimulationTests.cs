namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Reconfiguration under the whole-replica simulation in CI: a JOIN then a LEAVE, a JOIN then an EXCLUDE, with the
/// seed's faults, every invariant checked (ledgers identical at every common height, the joiner's from its first block;
/// every acknowledged request exactly once; receipts verify from genesis across the view changes; liveness; a removed
/// replica erases its keys and nothing after its removal carries its signature); and the seeds the swarm failed on.
/// </summary>
public sealed class ReconfigurationSimulationTests
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    // Short runs, as the other CI seeds: 1.5 virtual seconds of faults, then the liveness probe and the settle.
    private const long FaultyMs = 1_500;

    [Fact]
    public void A_replica_joins_and_then_a_founder_leaves()
    {
        SimOutcome outcome = ReplicaSimulation.Run(3, FaultyMs, reconfigure: _ => new SimReconfiguration
        {
            Kind = SimReconfigurationKind.JoinThenLeave,
            JoinAt = 300 * Ms,
            Endorser = 1,
            RemoveAfter = 200 * Ms,
            Removed = 0,
        });

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal(["join", "leave"], outcome.Reconfigured);
        Assert.True(outcome.Acknowledged > 0, outcome.ToString());
        Assert.Equal(0, outcome.Escapes); // nothing ran outside the simulator's scheduler
    }

    [Fact]
    public void A_replica_joins_and_then_two_members_exclude_a_founder()
    {
        SimOutcome outcome = ReplicaSimulation.Run(7, FaultyMs, reconfigure: _ => new SimReconfiguration
        {
            Kind = SimReconfigurationKind.JoinThenExclude,
            JoinAt = 200 * Ms,
            Endorser = 3,
            RemoveAfter = 100 * Ms,
            Removed = 2,
            Voters = [0, 4],
        });

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal(["join", "exclude"], outcome.Reconfigured);
        Assert.True(outcome.Acknowledged > 0, outcome.ToString());
        Assert.Equal(0, outcome.Escapes);
    }

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

    // Seed 641 of the 10,000-seed swarm: a founder whose disk gave a corrupted read was wiped and restarted after the JOIN's
    // block 7, the reconfiguration block that installs view 1. The certified tip (block 7) is certified by view 0, so the
    // replica, 7 blocks behind, took itself to be within the catch-up threshold and left the rest to FETCH, which runs
    // only within its own view 0, which the members had left: it stayed at block 0 for good. A tip that installs a later
    // view now means transferring all the way.
    [Fact]
    public void A_replica_wiped_just_after_a_join_transfers_past_the_block_that_installed_the_new_view()
    {
        SimOutcome outcome = ReplicaSimulation.Run(641);

        Assert.Contains("join", outcome.Reconfigured);
        Assert.True(outcome.Disk[DiskResponse.CorruptRefused] > 0, outcome.ToString());
        Assert.True(outcome.Passed, outcome.ToString());
    }

    // Seed 4594 of the 10,000-seed swarm: r3 crashed after block 18 installed view 1 and came back through recovery,
    // which rebuilt its reply cache from the ledger with replies saying view 0 (the field was left out), though block 19
    // is of view 1. A client of view 0 resending its request took that reply as one of its own view and checked the
    // receipt against views it held: "the receipt is certified by a view this client does not know yet". A reply
    // rebuilt by recovery now names the view the executor's reply named, so the client follows the view change first.
    [Fact]
    public void A_reply_rebuilt_by_recovery_names_the_view_of_its_block()
    {
        SimOutcome outcome = ReplicaSimulation.Run(4594);

        Assert.Contains("join", outcome.Reconfigured);
        Assert.Equal(1, outcome.Restarts);
        Assert.True(outcome.Passed, outcome.ToString());
    }
}
