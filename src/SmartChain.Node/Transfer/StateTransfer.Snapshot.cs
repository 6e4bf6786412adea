using System.Security.Cryptography;
using SmartChain.Core.Crypto;
using SmartChain.Core.IO;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;

namespace SmartChain.Node.Transfer;

/// <summary>The checkpoint block and its snapshot: both checked before anything of them is used.</summary>
internal sealed partial class StateTransfer
{
    // Returns the checkpoint whose snapshot was installed, or null if the replica needed blocks only.
    private async Task<long?> TransferToAsync(BlockHeader tip, Dictionary<int, BlockHeader> tips, long head, Hash256 headHash,
        CancellationToken cancellationToken)
    {
        // The newest checkpoint block records the snapshot of the state one period before it.
        long checkpoint = tip.LastCheckpoint;
        if (checkpoint - _genesis.CheckpointPeriod <= head)
        {
            await StreamBlocksAsync(head + 1, tip.Number, headHash, null, tips, cancellationToken);
            return null;
        }

        Block checkpointBlock = await FetchCheckpointBlockAsync(checkpoint, tips, cancellationToken);
        CheckpointBlock.Check(checkpointBlock, _genesis.CheckpointPeriod, out CheckpointRecord? record);
        long at = record!.SnapshotBlock;
        ReplicaSnapshot snapshot = await FetchSnapshotAsync(record, tips, cancellationToken);
        (head, headHash) = await _target.SettleAsync(cancellationToken);
        if (head >= at)
        {
            await StreamBlocksAsync(head + 1, tip.Number, headHash, null, tips, cancellationToken);
            return null;
        }

        _log($"state transfer: the snapshot of the state after block {at} matches certified checkpoint block {checkpoint} ({record.SnapshotSize:N0} bytes); blocks {head + 1}..{at} are appended without re-execution");
        await StreamBlocksAsync(head + 1, tip.Number, headHash, new SnapshotPlan(at, snapshot, record), tips, cancellationToken);
        return at;
    }

    private sealed record SnapshotPlan(long At, ReplicaSnapshot Snapshot, CheckpointRecord Record);

    private async Task<Block> FetchCheckpointBlockAsync(long number, Dictionary<int, BlockHeader> tips, CancellationToken cancellationToken)
    {
        foreach (int source in Sources(tips, number))
        {
            TransferMessage? answer = await RequestAsync(source, new TransferMessage.BlocksRequest(number, number), _options.RequestTimeout, cancellationToken);
            if (answer is TransferMessage.Blocks { Items.Count: 1 } blocks && blocks.From == number)
            {
                Block block = blocks.Items[0];
                string? bad = block.Header.Number != number ? $"sent block {block.Header.Number} when asked for checkpoint block {number}" : _verifier.CheckAlone(block);
                if (bad is null && !CheckpointBlock.IsCheckpoint(number, _genesis.CheckpointPeriod))
                {
                    bad = $"block {number} is not a checkpoint block";
                }

                if (bad is null)
                {
                    return block;
                }

                Drop(source, bad);
            }
            else
            {
                NoAnswer(source, answer, $"checkpoint block {number}");
            }
        }

        throw new TransferException($"no source sent a verifiable checkpoint block {number}; {DroppedSummary()}");
    }

    private async Task<ReplicaSnapshot> FetchSnapshotAsync(CheckpointRecord record, Dictionary<int, BlockHeader> tips, CancellationToken cancellationToken)
    {
        long number = record.SnapshotBlock;
        foreach (int source in Sources(tips, number))
        {
            for (int attempt = 0; attempt < 2; attempt++)
            {
                SnapshotAttempt outcome = await DownloadSnapshotAsync(source, number, record, cancellationToken);
                if (outcome == SnapshotAttempt.Complete)
                {
                    _target.Snapshots.InstallDownload(number);
                    if (ReadInstalled(record) is { } snapshot)
                    {
                        return snapshot;
                    }

                    continue; // read back wrong and removed: download it again, from this source first
                }

                if (outcome != SnapshotAttempt.RetryFromZero)
                {
                    break;
                }
            }
        }

        throw new TransferException($"no source sent the snapshot of block {number} as certified; {DroppedSummary()}");
    }

    // The installed file is read back and checked again: the bytes streamed matched the certified hash, but a read can
    // return flipped bits (or the disk lost what it had), and a state that is not the certified one must never be used.
    private ReplicaSnapshot? ReadInstalled(CheckpointRecord record)
    {
        long number = record.SnapshotBlock;
        byte[] bytes = _target.Snapshots.Read(number);
        if (CheckpointBlock.CheckSnapshot(record, bytes) is { } wrong)
        {
            _log($"state transfer: the downloaded snapshot of block {number} reads back wrong from {_target.Snapshots.PathOf(number)} ({wrong}); removing it and downloading it again");
            _target.Snapshots.Storage.Delete(_target.Snapshots.PathOf(number));
            return null;
        }

        try
        {
            return ReplicaSnapshot.Parse(bytes);
        }
        catch (Core.Encoding.EncodingException e)
        {
            throw new TransferException($"the snapshot of block {number} matches its certified hash but this build cannot read it: {e.Message}");
        }
    }

    private enum SnapshotAttempt
    {
        Complete,
        SourceFailed,
        RetryFromZero,
    }

    // Streams the snapshot into the .partial file, continuing a download an interruption left behind.
    private async Task<SnapshotAttempt> DownloadSnapshotAsync(int source, long number, CheckpointRecord record, CancellationToken cancellationToken)
    {
        string path = _target.Snapshots.PartialPathOf(number);
        // Through the replica's storage (a simulated disk in the whole-replica simulator); chunks are at most
        // MaxChunkBytes, so synchronous writes hold the transfer loop no longer than an async one would wait.
        using IStorageFile file = _target.Snapshots.Storage.Open(path, StorageOpenMode.OpenOrCreate, 1 << 16);
        if (file.Length > record.SnapshotSize)
        {
            file.SetLength(0);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long resumed = HashExisting(file, hash);
        if (resumed > 0)
        {
            _log($"state transfer: resuming the snapshot of block {number} at byte {resumed:N0} of {record.SnapshotSize:N0}");
        }

        long offset = resumed;
        while (offset < record.SnapshotSize)
        {
            int want = (int)Math.Min(TransferMessage.MaxChunkBytes, record.SnapshotSize - offset);
            TransferMessage? answer = await RequestAsync(source, new TransferMessage.SnapshotRequest(number, offset, want), _options.RequestTimeout, cancellationToken);
            if (answer is not TransferMessage.SnapshotChunk chunk)
            {
                NoAnswer(source, answer, $"the snapshot of block {number} at byte {offset:N0}");
                return SnapshotAttempt.SourceFailed;
            }

            if (chunk.SnapshotBlock != number || chunk.Offset != offset || chunk.Data.Length == 0 || chunk.Data.Length > want)
            {
                Drop(source, $"sent {chunk.Data.Length} snapshot bytes of block {chunk.SnapshotBlock} at {chunk.Offset} when asked for {want} bytes of block {number} at {offset}");
                return SnapshotAttempt.SourceFailed;
            }

            file.Write(chunk.Data.Span);
            hash.AppendData(chunk.Data.Span);
            offset += chunk.Data.Length;
            Interlocked.Add(ref _snapshotBytes, chunk.Data.Length);
        }

        var got = new Hash256(hash.GetHashAndReset());
        if (got == record.SnapshotHash)
        {
            file.Flush();
            return SnapshotAttempt.Complete;
        }

        file.SetLength(0);
        if (resumed > 0)
        {
            // Part of the file came from an earlier download (maybe another source): start over before blaming this one.
            _log($"state transfer: the resumed snapshot of block {number} does not match its hash; downloading it again from the start");
            return SnapshotAttempt.RetryFromZero;
        }

        Drop(source, $"sent a snapshot of block {number} that hashes to {got}; the certified checkpoint block records {record.SnapshotHash}");
        return SnapshotAttempt.SourceFailed;
    }

    private static long HashExisting(IStorageFile file, IncrementalHash hash)
    {
        file.Position = 0;
        byte[] buffer = new byte[1 << 16];
        long total = file.Length;
        for (long done = 0; done < total;)
        {
            int read = (int)Math.Min(buffer.Length, total - done);
            file.ReadExactly(buffer.AsSpan(0, read));
            hash.AppendData(buffer, 0, read);
            done += read;
        }

        return total;
    }

    private void NoAnswer(int source, TransferMessage? answer, string what)
    {
        switch (answer)
        {
            case null:
                Drop(source, $"sent nothing for {_options.RequestTimeout.TotalSeconds:0.#} s when asked for {what}");
                break;
            case TransferMessage.Unavailable unavailable:
                _log($"state transfer: replica {source} cannot serve {what}: {unavailable.Reason}");
                break;
            default:
                Drop(source, $"answered a request for {what} with a {answer.GetType().Name} that does not match it");
                break;
        }
    }

    // Sources believed to hold block `number`, in id order starting after this replica, so replicas spread their load.
    private List<int> Sources(Dictionary<int, BlockHeader> tips, long number)
    {
        var sources = new List<int>();
        foreach ((int id, BlockHeader tip) in tips.OrderBy(t => (t.Key - _self + 1000) % 1000))
        {
            if (tip.Number >= number && !IsDropped(id))
            {
                sources.Add(id);
            }
        }

        return sources;
    }
}
