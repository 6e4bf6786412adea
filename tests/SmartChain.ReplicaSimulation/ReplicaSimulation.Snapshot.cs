using System.Globalization;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Node;
using SmartChain.TestSupport.Storage;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Snapshot state transfer and corrupted reads while replicas run (<see cref="SimSnapshotFaults"/>). The period and
/// the catch-up threshold go to the replicas through their real options (the genesis, <see cref="ReplicaOptions"/>);
/// a snapshot transfer is counted from the line a replica logs once the download matched its certified checkpoint
/// block. A corrupted read armed on a running replica must be reported within <see cref="ReportBound"/>: by that
/// replica, naming the file (a block it cannot read back, a snapshot it downloaded that reads back wrong), or, for a
/// snapshot chunk it served (the server has nothing to check a chunk against), by the replica that received it, which
/// finds the download does not hash to the certified value. That the flipped bytes are never used is what the run's
/// other checks show: ledgers identical, receipts verify, no evidence against a replica, no loop stopped.
/// </summary>
internal sealed partial class ReplicaSimulation
{
    private static readonly long ReportBound = 10_000 * Ms;
    private const string SnapshotInstalled = "state transfer: the snapshot of the state after block ";
    private readonly SimSnapshotReport _snapshotReport = new();
    private readonly List<(int Replica, string Line)> _kept = [];

    // The transfer options of every incarnation: the drawn catch-up threshold (the period is in the genesis).
    private ReplicaOptions WithSnapshotOptions(ReplicaOptions options) =>
        options with { Transfer = options.Transfer with { CatchUpThreshold = _faults.Snapshots.CatchUpThreshold } };

    // Every kept line of every incarnation, for the report checks; and the snapshot transfers counted.
    private SimReportLog Tracked(int i, SimReportLog log)
    {
        log.OnKept = line =>
        {
            _kept.Add((i, line));
            if (line.StartsWith(SnapshotInstalled, StringComparison.Ordinal))
            {
                _snapshotReport[SnapshotEvent.SnapshotTransfers]++;
            }
        };
        return log;
    }

    private async Task CorruptWhileRunningAsync()
    {
        TimeProvider time = _scheduler.Time;
        foreach ((int replica, long at, long window, SimCorruptTarget target) in _faults.Snapshots.Corruptions)
        {
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, at - time.GetTimestamp())), time);
            long until = at + window;
            while (_hosts[replica] is null && time.GetTimestamp() < until)
            {
                await Task.Delay(TimeSpan.FromTicks(FailedSyncPoll), time); // down (a pinned run may arm it for its restart)
            }

            if (_hosts[replica] is null)
            {
                continue;
            }

            SimulatedDisk disk = DiskOf(replica);
            long before = disk.Counts[DiskEvent.CorruptReads];
            int seen = _kept.Count;
            string folder = Path.Combine(DataDir(replica), target == SimCorruptTarget.Block ? BlockStore.FolderName : SnapshotStore.FolderName) + Path.DirectorySeparatorChar;
            string suffix = target == SimCorruptTarget.Block ? ".log" : ".bin";
            disk.CorruptNextReadOf = p => p.StartsWith(folder, StringComparison.Ordinal) && p.EndsWith(suffix, StringComparison.Ordinal);
            _network.Trace($"corrupt-running r{replica} {target}");
            _snapshotReport[SnapshotEvent.Armed]++;
            while (time.GetTimestamp() < until && disk.Counts[DiskEvent.CorruptReads] == before && _hosts[replica] is not null)
            {
                await Task.Delay(TimeSpan.FromTicks(FailedSyncPoll), time);
            }

            disk.CorruptNextReadOf = null;
            if (disk.Counts[DiskEvent.CorruptReads] == before)
            {
                _snapshotReport[SnapshotEvent.Unread]++;
                continue;
            }

            string file = disk.LastCorruption!.Value.File;
            _network.Trace($"corrupted-running r{replica} {Path.GetFileName(file)} {disk.LastCorruption.Value.Offset}");
            if (target == SimCorruptTarget.Block)
            {
                _snapshotReport[SnapshotEvent.BlockReads]++;
            }
            else
            {
                _snapshotReport[SnapshotEvent.SnapshotReads]++;
            }

            await AwaitReportAsync(replica, file, seen, time.GetTimestamp() + ReportBound);
        }
    }

    // The reader names the file; a snapshot chunk it served is reported by its receiver, naming the snapshot's block.
    private async Task AwaitReportAsync(int replica, string file, int seen, long deadline)
    {
        TimeProvider time = _scheduler.Time;
        string name = Path.GetFileName(file);
        const string Prefix = "snapshot-";
        string? snapshotOf = name.StartsWith(Prefix, StringComparison.Ordinal) &&
            long.TryParse(name.AsSpan(Prefix.Length, 12), NumberStyles.None, CultureInfo.InvariantCulture, out long block) ? $"snapshot of block {block} " : null;
        while (true)
        {
            for (; seen < _kept.Count; seen++)
            {
                (int from, string line) = _kept[seen];
                if (from == replica && line.Contains(name, StringComparison.Ordinal))
                {
                    _snapshotReport[SnapshotEvent.ReportedByReader]++;
                    return;
                }

                if (from != replica && snapshotOf is not null && line.Contains(snapshotOf, StringComparison.Ordinal) &&
                    (line.Contains("hashes to", StringComparison.Ordinal) || line.Contains("does not match", StringComparison.Ordinal)))
                {
                    _snapshotReport[SnapshotEvent.ReportedByReceiver]++;
                    return;
                }
            }

            if (time.GetTimestamp() >= deadline)
            {
                _failures.Add($"replica {replica} read a flipped bit of {file} while running, and within {ReportBound / Ms} virtual ms nobody reported it");
                return;
            }

            await Task.Delay(TimeSpan.FromTicks(FailedSyncPoll), time);
        }
    }
}
