using System.Buffers;
using Microsoft.Extensions.Logging;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Ledger.Checkpoints;

namespace SmartChain.Node.Execution;

/// <summary>
/// Checkpoints (SPEC §4.4), on the execution loop. At checkpoint block <c>c = k · P</c> the executor builds the block
/// with the record of the snapshot taken one period earlier (<see cref="TakePendingAsync"/>), then captures a
/// consistent view of the replicated state (the application's view, the replay-protection rows copied: no
/// encoding) and goes on executing. The view is sorted, encoded, hashed, written, fsynced and renamed on the thread
/// pool (<see cref="Start"/>; the platform's background scheduler), with a whole period to finish before checkpoint block <c>c + P</c> needs its hash.
/// </summary>
internal sealed class Checkpointer(SnapshotStore snapshots, int retention, ILogger log, Task<(long Block, Hash256 Hash, long Size)> pending,
    TaskScheduler background)
{
    private Task<(long Block, Hash256 Hash, long Size)> _pending = pending;

    /// <summary>The snapshot being encoded (or the last one encoded); awaited on stop so its file is whole.</summary>
    public Task Pending => _pending;

    /// <summary>The record of the last snapshot, once its encoding finished (execution waits here only if it has not).</summary>
    public Task<(long Block, Hash256 Hash, long Size)> TakePendingAsync() => _pending;

    /// <summary>Encodes the state after checkpoint block <paramref name="number"/> in the background.</summary>
    public void Start(long number, long instance, ClientEntry[] clients, byte[] reconfiguration, IStateView view) =>
        _pending = Task.Factory.StartNew(() => Encode(number, instance, clients, reconfiguration, view), CancellationToken.None,
            TaskCreationOptions.DenyChildAttach, background);

    /// <summary>State transfer installed a snapshot: the next checkpoint block repeats its record.</summary>
    public void Restored(CheckpointRecord record) => _pending = Task.FromResult((record.SnapshotBlock, record.SnapshotHash, record.SnapshotSize));

    private (long, Hash256, long) Encode(long number, long instance, ClientEntry[] clients, byte[] reconfiguration, IStateView view)
    {
        void Encode(IBufferWriter<byte> output) => ReplicaSnapshot.Write(output, number, instance, clients, reconfiguration, view.WriteSnapshot);

        (Hash256 Hash, long Size) snapshot;
        try
        {
            snapshot = snapshots.Write(number, Encode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The checkpoint block needs the hash only: recovery replays from an older snapshot and writes this one
            // again; peers fetch it from another replica meanwhile.
            NodeLog.Storage(log, $"could not write the snapshot of block {number}: {e.Message}");
            using var hasher = new HashingBufferWriter();
            Encode(hasher);
            snapshot = (hasher.GetHash(), hasher.BytesWritten);
        }

        try
        {
            snapshots.Prune(retention);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            NodeLog.Storage(log, $"could not remove old snapshots after block {number}: {e.Message}");
        }

        return (number, snapshot.Hash, snapshot.Size);
    }
}
