using SmartChain.TestSupport.Storage;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Pinned seeds of the whole-replica simulation on simulated disks: the fault classes the disk adds, each played on
/// real replica compositions, with every invariant of the run checked (an acknowledged request is in every ledger
/// after a last power cut of every disk).
/// </summary>
public sealed class ReplicaSimulationDiskTests
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long FaultyMs = 1_500;

    [Fact]
    public void A_power_cut_and_a_corrupted_read_at_restart_lose_no_acknowledged_request()
    {
        // Replica 2 loses power mid-run; later replica 1 dies and, restarting, reads one flipped bit of its files.
        static SimFaults Pinned(SimFaults drawn) => drawn with
        {
            Crashes = [(2, 300 * Ms, 250 * Ms), (1, 700 * Ms, 250 * Ms)],
            Disk = drawn.Disk with { Kinds = [SimCrash.PowerCut, SimCrash.CorruptRead] },
        };

        SimOutcome outcome = ReplicaSimulation.Run(11, FaultyMs, Pinned);

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal(2, outcome.Restarts);
        Assert.True(outcome.Acknowledged > 0, outcome.ToString());
        Assert.Equal(1, outcome.Disk.Disk[DiskEvent.PowerCuts]);
        Assert.Equal(1, outcome.Disk.Disk[DiskEvent.CorruptReads]);
        Assert.Equal(1, outcome.Disk[DiskResponse.CorruptRefused] + outcome.Disk[DiskResponse.CorruptLogged]); // reported, never used silently
    }

    [Fact]
    public void A_replica_whose_fsync_fails_halts_and_after_a_power_cut_and_a_restart_loses_no_acknowledged_request()
    {
        static SimFaults Pinned(SimFaults drawn) => drawn with
        {
            Crashes = [(3, 300 * Ms, 600 * Ms)],
            Disk = drawn.Disk with { Kinds = [SimCrash.FailedSync] },
        };

        SimOutcome outcome = ReplicaSimulation.Run(5, FaultyMs, Pinned);

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal(1, outcome.Disk.Disk[DiskEvent.FailedSyncs]);
        Assert.Equal(1, outcome.Disk[DiskResponse.HaltsOnFailedSync]);
        Assert.Equal(1, outcome.Disk.Disk[DiskEvent.PowerCuts]);
    }

    // Seed 9361 of the 10,000-seed swarm (a checkpoint every 18 blocks): replica 1's fsync failed, it halted, and the
    // power cut tore the record of checkpoint block 18, so its ledger ended at block 17. Execution builds a checkpoint
    // block only right after executing the block before it, which recovery had already replayed: the restarted replica
    // never built block 18, and neither ordering nor state transfer (which leaves checkpoint blocks to execution) could
    // take it past block 17 ("certified prefixes 33, 17, 33, 33"). A replica recovered to the block before a checkpoint
    // block now builds that checkpoint block first.
    [Fact]
    public void A_replica_whose_ledger_ends_just_before_a_checkpoint_block_builds_it_at_restart()
    {
        SimOutcome outcome = ReplicaSimulation.Run(9361);

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal(1, outcome.Disk[DiskResponse.HaltsOnFailedSync]);
        Assert.Equal(1, outcome.Disk.Disk[DiskEvent.TornWrites]);
    }
}
