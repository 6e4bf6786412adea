using SmartChain.Core.Crypto;

namespace SmartChain.Ledger.Checkpoints;

/// <summary>
/// Where checkpoint blocks go and what they hold. Block <c>c = k · P</c> (P = checkpointPeriod, k ≥ 1) is a checkpoint
/// block, on every replica: a rule of the chain, so replicas build identical checkpoint blocks without ordering
/// anything. It records the snapshot of the state after block <c>c − P</c> (the previous checkpoint block, or genesis):
/// a replica captures the state at each checkpoint block and has a whole period to encode, hash and write it in the
/// background, so execution pauses only for the capture. Its one result is empty, it has no decision proof, and its
/// consensus id is the instance of the block before it (no instance decided it).
/// </summary>
public static class CheckpointBlock
{
    /// <summary>True if block <paramref name="number"/> must be a checkpoint block.</summary>
    public static bool IsCheckpoint(long number, long period) => number > 0 && period > 0 && number % period == 0;

    /// <summary>The block whose state checkpoint block <paramref name="checkpoint"/> records.</summary>
    public static long SnapshotBlockOf(long checkpoint, long period) => checkpoint - period;

    /// <summary>Builds the checkpoint block after <paramref name="previous"/>, recording <paramref name="record"/>.</summary>
    public static BuiltBlock Build(BlockHeader previous, long consensusId, CheckpointRecord record)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(record);
        ReadOnlyMemory<byte>[] entries = [record.Encode()];
        ReadOnlyMemory<byte>[] results = [ReadOnlyMemory<byte>.Empty];
        long number = previous.Number + 1;
        var header = new BlockHeader(number, previous.LastReconfig, number, BlockMerkle.Root(entries), BlockMerkle.Root(results), previous.Hash());
        return BuiltBlock.From(new Block(header, new BlockBody(consensusId, entries, results, ReadOnlyMemory<byte>.Empty), null));
    }

    /// <summary>
    /// Checks the shape of checkpoint block <paramref name="block"/> and returns its record, or the reason it is not a
    /// well-formed checkpoint block. The snapshot itself is checked by whoever has it.
    /// </summary>
    public static string? Check(Block block, long period, out CheckpointRecord? record)
    {
        ArgumentNullException.ThrowIfNull(block);
        record = null;
        if (block.Body.Entries.Count != 1 || block.Body.Results.Count != 1 || !block.Body.Results[0].IsEmpty)
        {
            return "a checkpoint block holds exactly one entry, the checkpoint record, with an empty result";
        }

        if (!block.Body.DecisionProof.IsEmpty)
        {
            return "a checkpoint block carries no decision proof";
        }

        if (block.Header.LastCheckpoint != block.Header.Number)
        {
            return $"a checkpoint block's lastCheckpoint must be its own number, not {block.Header.LastCheckpoint}";
        }

        if (!CheckpointRecord.TryDecode(block.Body.Entries[0].Span, out record, out string? error))
        {
            return error;
        }

        long expected = SnapshotBlockOf(block.Header.Number, period);
        return record!.SnapshotBlock != expected
            ? $"the record names the state after block {record.SnapshotBlock}; checkpoint block {block.Header.Number} records the state after block {expected}"
            : null;
    }

    /// <summary>Checks snapshot bytes against the record of a checkpoint block; null if they match.</summary>
    public static string? CheckSnapshot(CheckpointRecord record, ReadOnlySpan<byte> snapshot)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (snapshot.Length != record.SnapshotSize)
        {
            return $"the snapshot has {snapshot.Length} bytes; the checkpoint block records {record.SnapshotSize}";
        }

        Hash256 hash = Hash256.Compute(snapshot);
        return hash != record.SnapshotHash ? $"the snapshot hashes to {hash}; the checkpoint block records {record.SnapshotHash}" : null;
    }
}
