using System.Globalization;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Network;
using SmartChain.Node;
using SmartChain.Node.Transfer;
using SmartChain.TestSupport.Storage;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Snapshot state transfer and corrupted reads while replicas run (<see cref="SimSnapshotFaults"/>). The period and
/// the catch-up threshold go to the replicas through their real options (the genesis, <see cref="ReplicaOptions"/>);
/// a snapshot transfer is counted from the line a replica logs once the download matched its certified checkpoint
/// block. A corrupted read armed on a running replica must be reported within <see cref="ReportBound"/>: by that
/// replica, naming the file (a block it cannot read back, a snapshot it downloaded that reads back wrong), or, for a
/// snapshot chunk it served (the server has nothing to check a chunk against), by the replica that received it, which
/// finds the download does not hash to the certified value. A served chunk that never reached its receiver (lost in
/// flight, or the receiver went down) cannot be reported by anyone and is counted apart, once the lost frame is shown
/// to carry the flipped byte. That the flipped bytes are never used is what the run's other checks show: ledgers
/// identical, receipts verify, no evidence against a replica, no loop stopped.
/// </summary>
internal sealed partial class ReplicaSimulation
{
    private static readonly long ReportBound = 10_000 * Ms;
    private const string SnapshotInstalled = "state transfer: the snapshot of the state after block ";
    private readonly SimSnapshotReport _snapshotReport = new();
    private readonly List<(int Replica, string Line)> _kept = [];
    private readonly List<(int From, TransferMessage.SnapshotChunk Chunk)> _lostChunks = [];
    private bool _awaitingSnapshotReport;

    // Every snapshot chunk a replica sent that did not arrive, for AwaitReportAsync (kept only while a corrupted read
    // is armed or awaited: the rest of the run loses no chunk it needs to look at).
    private void OnFrameLost(int from, int to, FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (type == FrameType.StateTransfer && _awaitingSnapshotReport && TransferMessage.Decode(payload.Span) is TransferMessage.SnapshotChunk chunk)
        {
            _lostChunks.Add((from, chunk));
        }
    }

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
            _lostChunks.Clear();
            _awaitingSnapshotReport = target == SimCorruptTarget.Snapshot;
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
                _awaitingSnapshotReport = false;
                _snapshotReport[SnapshotEvent.Unread]++;
                continue;
            }

            (string file, long offset) = disk.LastCorruption!.Value;
            byte? truth = disk.Peek(file) is { } bytes && offset < bytes.Length ? bytes[offset] : null;
            _network.Trace($"corrupted-running r{replica} {Path.GetFileName(file)} {disk.LastCorruption.Value.Offset}");
            if (target == SimCorruptTarget.Block)
            {
                _snapshotReport[SnapshotEvent.BlockReads]++;
            }
            else
            {
                _snapshotReport[SnapshotEvent.SnapshotReads]++;
            }

            await AwaitReportAsync(replica, (file, offset, truth), seen, time.GetTimestamp() + ReportBound);
            _awaitingSnapshotReport = false;
        }
    }

    // A chunk that replica served of the snapshot of block, covering offset with a byte other than truth (the file's),
    // and lost before it reached the replica that asked.
    private bool FlippedChunkLost(int replica, long block, long offset, byte? truth)
    {
        foreach ((int from, TransferMessage.SnapshotChunk chunk) in _lostChunks)
        {
            if (from == replica && chunk.SnapshotBlock == block && truth is { } right && offset >= chunk.Offset &&
                offset < chunk.Offset + chunk.Data.Length && chunk.Data.Span[(int)(offset - chunk.Offset)] != right)
            {
                return true;
            }
        }

        return false;
    }

    // The reader names the file; a snapshot chunk it served is reported by its receiver, naming the snapshot's block,
    // unless that chunk was lost on its way (nobody saw the flipped byte, so nobody can report it).
    private async Task AwaitReportAsync(int replica, (string File, long Offset, byte? Truth) flipped, int seen, long deadline)
    {
        TimeProvider time = _scheduler.Time;
        string file = flipped.File;
        string name = Path.GetFileName(file);
        const string Prefix = "snapshot-";
        long block = -1;
        string? snapshotOf = name.StartsWith(Prefix, StringComparison.Ordinal) &&
            long.TryParse(name.AsSpan(Prefix.Length, 12), NumberStyles.None, CultureInfo.InvariantCulture, out block) ? $"snapshot of block {block} " : null;
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

            if (snapshotOf is not null && FlippedChunkLost(replica, block, flipped.Offset, flipped.Truth))
            {
                _network.Trace($"flipped-chunk-lost r{replica} {block}");
                _snapshotReport[SnapshotEvent.LostInFlight]++;
                return;
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
