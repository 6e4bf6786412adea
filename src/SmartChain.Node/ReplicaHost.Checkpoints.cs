using System.Diagnostics;
using SmartChain.Consensus;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;

namespace SmartChain.Node;

/// <summary>
/// Checkpoints (SPEC §4.4). At checkpoint block <c>c = k · P</c> the execution loop builds the block with the record of
/// the snapshot taken one period earlier, then captures a consistent view of the replicated state (the application's
/// tables and the replay-protection table, copied: no encoding) and goes on executing. The view is sorted, encoded,
/// hashed, written, fsynced and renamed on the thread pool, with a whole period to finish before checkpoint block
/// <c>c + P</c> needs its hash. Ordering never waits (the consensus core runs on its own thread); execution pauses for
/// the copy only, which is a metric and a log line.
/// </summary>
public sealed partial class ReplicaHost
{
    private readonly SnapshotStore _snapshots;

    // The replay-protection table as execution sees it: the core's own table runs ahead (it records batches when they
    // are decided, before they are executed), so execution keeps the table that matches the state it holds.
    private readonly ClientTable _executedClients;
    private Task<(long Block, Hash256 Hash, long Size)> _pendingSnapshot = null!;

    private void RecordExecuted(Decision decision)
    {
        bool[] fresh = _executedClients.Record(decision.Batch, decision.Instance);
        if (!fresh.SequenceEqual(decision.Fresh))
        {
            // Both tables are functions of the same decisions: a difference is a bug, and snapshots would diverge.
            throw new InvalidOperationException($"instance {decision.Instance}: execution's client table disagrees with the core's on which requests are fresh");
        }
    }

    private async Task CheckpointIfDueAsync(long instance)
    {
        if (!CheckpointBlock.IsCheckpoint(_chainHead.Number + 1, _genesis.CheckpointPeriod))
        {
            return;
        }

        long started = Stopwatch.GetTimestamp();
        (long block, Hash256 hash, long size) = await _pendingSnapshot; // encoded in the background during the period
        double waited = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var record = new CheckpointRecord(block, hash, size);
        BuiltBlock checkpoint = WithTransferredCertificate(CheckpointBlock.Build(_chainHead, instance, record));
        _chainHead = checkpoint.Block.Header;
        long number = checkpoint.Block.Header.Number;
        IStateView view = _app.CaptureState();
        ClientTable clients = _executedClients.Clone();
        byte[] reconfiguration = _machine.Reconfiguration.Encode();
        double paused = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _metrics.SnapshotPause.Record(paused);
        NodeLog.Checkpoint(_log, number, block, size, hash.ToString()[..16], paused, waited);
        _pendingSnapshot = Task.Run(() => EncodeSnapshot(number, instance, clients, reconfiguration, view));
        await _ledger.Writer.WriteAsync(new LedgerInput.Persist(checkpoint, [], []), _stop.Token);
    }

    private (long, Hash256, long) EncodeSnapshot(long number, long instance, ClientTable clients, byte[] reconfiguration, IStateView view)
    {
        (byte[] snapshot, Hash256 hash) = ReplicaSnapshot.Take(number, instance, clients.Entries, reconfiguration, view.WriteSnapshot);
        try
        {
            _snapshots.Write(number, snapshot);
            _snapshots.Prune(_options.SnapshotRetention);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The checkpoint block needs the hash only: recovery replays from an older snapshot and writes this one
            // again; peers fetch it from another replica meanwhile.
            NodeLog.Storage(_log, $"could not write the snapshot of block {number}: {e.Message}");
        }

        return (number, hash, snapshot.Length);
    }
}
