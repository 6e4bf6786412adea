using SmartChain.TestSupport.Storage;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Pinned seeds of the whole-replica simulation for snapshot state transfer (a small checkpoint period) and corrupted
/// reads while replicas run (<see cref="SimSnapshotFaults"/>), with every invariant of the run checked.
/// </summary>
public sealed class SnapshotSimulationTests
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const long FaultyMs = 2_500;

    // Seed 1: replica 1 reads the tip it serves a peer's state transfer; seed 7: replica 3 reads a block to re-send its
    // stored signature. Each read returns a flipped bit: it fails its checksum, and the ledger loop must report it and go
    // on (it ended, and the replica stopped). As drawn by the seeds when they were found.
    [Theory]
    [InlineData(1UL, 16L, 4L, 1, 214L, 1_515L)]
    [InlineData(7UL, 27L, 8L, 3, 983L, 1_759L)]
    public void A_block_read_that_returns_a_flipped_bit_while_running_is_reported_and_the_replica_keeps_serving(ulong seed, long period, long threshold,
        int replica, long atMs, long windowMs)
    {
        SimFaults Pinned(SimFaults drawn) => drawn with
        {
            Snapshots = new SimSnapshotFaults
            {
                CheckpointPeriod = period, CatchUpThreshold = threshold, Corruptions = [(replica, atMs * Ms, windowMs * Ms, SimCorruptTarget.Block)],
            },
        };

        SimOutcome outcome = ReplicaSimulation.Run(seed, adjust: Pinned);

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal(1, outcome.Snapshots[SnapshotEvent.BlockReads]);
        Assert.Equal(1, outcome.Snapshots[SnapshotEvent.ReportedByReader]);
    }

    // The CI seed for snapshot transfer: replica 3 down for 1.5 s while the others pass several checkpoints (every 8
    // blocks); restarted, it fetches the newest snapshot, appends the blocks it covers without executing them, executes
    // the rest, and its ledger is the others' byte for byte (a last power cut of every disk first).
    [Fact]
    public void A_replica_down_across_checkpoints_fetches_a_snapshot_and_every_invariant_holds()
    {
        SimOutcome outcome = ReplicaSimulation.Run(3, FaultyMs, f => Down(f) with { Snapshots = f.Snapshots with { Corruptions = [] } }, _ => new SimReconfiguration());

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal(1, outcome.Snapshots[SnapshotEvent.SnapshotTransfers]);
        Assert.Equal(0, outcome.Disk.Disk[DiskEvent.CorruptReads]);
    }

    // Replica 3 is down for 1.5 s while the others pass several checkpoints (every 8 blocks); restarted, it downloads the
    // newest snapshot, and reading the installed file back returns a flipped bit. It must check what it read against the
    // certified hash, report it, and fetch the snapshot again: never install the flipped bytes.
    [Fact]
    public void A_downloaded_snapshot_that_reads_back_with_a_flipped_bit_is_reported_and_fetched_again()
    {
        SimOutcome outcome = ReplicaSimulation.Run(3, FaultyMs, Down, _ => new SimReconfiguration());

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.True(outcome.Snapshots[SnapshotEvent.SnapshotTransfers] >= 1, outcome.ToString());
        Assert.Equal(1, outcome.Snapshots[SnapshotEvent.SnapshotReads]);
        Assert.Equal(1, outcome.Snapshots[SnapshotEvent.ReportedByReader]);
    }

    // Seed 7 with a checkpoint every 4 blocks: replica 4 joins, then replicas 0 and 4 exclude replica 2 by block 7.
    // Execution built checkpoint block 8 right after it on the excluded replica too, as if it were still a member:
    // "removed replica 2 holds blocks up to 8, after block 7 that removed it". Its ledger must end at block 7.
    [Fact]
    public void A_replica_excluded_by_the_block_before_a_checkpoint_block_does_not_build_it()
    {
        SimOutcome outcome = ReplicaSimulation.Run(7, 1_500, f => f with { Snapshots = new SimSnapshotFaults { CheckpointPeriod = 4, CatchUpThreshold = 8 } },
            _ => new SimReconfiguration
            {
                Kind = SimReconfigurationKind.JoinThenExclude, JoinAt = 200 * Ms, Endorser = 3, RemoveAfter = 100 * Ms, Removed = 2, Voters = [0, 4],
            });

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal(["join", "exclude"], outcome.Reconfigured);
    }

    // Seed 3 on a prompt, lossless network, replica 3 down from 400 to 1,900 ms, a checkpoint every 8 blocks, no
    // catch-up threshold; the corrupted snapshot read is armed for its restart.
    private static SimFaults Down(SimFaults drawn) => drawn with
    {
        Loss = 0,
        BaseDelay = 1 * Ms,
        Jitter = 2 * Ms,
        Partition = null,
        Crashes = [(3, 400 * Ms, 1_500 * Ms)],
        Disk = drawn.Disk with { Kinds = [SimCrash.Clean] },
        Snapshots = new SimSnapshotFaults { CheckpointPeriod = 8, CatchUpThreshold = 0, Corruptions = [(3, 500 * Ms, 3_000 * Ms, SimCorruptTarget.Snapshot)] },
    };
}
