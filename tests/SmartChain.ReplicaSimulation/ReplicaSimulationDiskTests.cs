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
}
