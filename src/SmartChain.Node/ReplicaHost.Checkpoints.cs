using System.Diagnostics;
using SmartChain.Consensus;
using SmartChain.Core.Crypto;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;

namespace SmartChain.Node;

/// <summary>
/// Checkpoints (SPEC §4.4): after block <c>k · period − 1</c> the execution loop snapshots the replicated state (the
/// application and the replay-protection table) into memory, hashes it, and builds checkpoint block <c>k · period</c>,
/// which is persisted and certified like any block. Ordering never waits: the consensus core runs on its own thread,
/// and the execution loop pauses only to encode and hash the state (the pause is a metric and a log line). Writing
/// the file, its fsync and the rename happen on the thread pool, one snapshot after another.
/// </summary>
public sealed partial class ReplicaHost
{
    private readonly SnapshotStore _snapshots;

    // The replay-protection table as execution sees it: the core's own table runs ahead (it records batches when they
    // are decided, before they are executed), so execution keeps the table that matches the state it holds.
    private readonly Dictionary<Ed25519PublicKey, ulong> _executedClients = [];
    private Task _snapshotWrites = Task.CompletedTask;

    private void RecordExecuted(Decision decision)
    {
        for (int j = 0; j < decision.Batch.Count; j++)
        {
            if (decision.Fresh[j])
            {
                _executedClients[decision.Batch[j].Client] = decision.Batch[j].Sequence;
            }
        }
    }

    private async Task CheckpointIfDueAsync(long instance)
    {
        if (!CheckpointBlock.IsCheckpoint(_chainHead.Number + 1, _genesis.CheckpointPeriod))
        {
            return;
        }

        long started = Stopwatch.GetTimestamp();
        (byte[] snapshot, Hash256 hash) = ReplicaSnapshot.Take(_chainHead.Number, instance, _executedClients, _app);
        var record = new CheckpointRecord(_chainHead.Number, hash, snapshot.Length);
        BuiltBlock checkpoint = WithTransferredCertificate(CheckpointBlock.Build(_chainHead, instance, record));
        double paused = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        _metrics.SnapshotPause.Record(paused);
        NodeLog.Checkpoint(_log, checkpoint.Block.Header.Number, record.SnapshotBlock, snapshot.Length, hash.ToString()[..16], paused);
        _chainHead = checkpoint.Block.Header;
        WriteSnapshotInBackground(checkpoint.Block.Header.Number, snapshot);
        await _ledger.Writer.WriteAsync(new LedgerInput.Persist(checkpoint, [], []), _stop.Token);
    }

    private void WriteSnapshotInBackground(long number, byte[] snapshot)
    {
        Task previous = _snapshotWrites;
        _snapshotWrites = Task.Run(async () =>
        {
            await previous;
            try
            {
                _snapshots.Write(number, snapshot);
                _snapshots.Prune(_options.SnapshotRetention);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The checkpoint block does not depend on the file: recovery replays from an older snapshot and writes
                // this one again; peers fetch it from another replica meanwhile.
                NodeLog.Storage(_log, $"could not write the snapshot of checkpoint block {number}: {e.Message}");
            }
        });
    }
}
