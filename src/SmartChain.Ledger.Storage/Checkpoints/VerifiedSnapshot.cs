using SmartChain.Core.Genesis;
using SmartChain.Ledger.Store;

namespace SmartChain.Ledger.Checkpoints;

/// <summary>A snapshot file taken only when a certified checkpoint block of the ledger vouches for it.</summary>
public static class VerifiedSnapshot
{
    /// <summary>
    /// Loads the snapshot of the state after block <paramref name="number"/> if checkpoint block <c>number + P</c> of
    /// <paramref name="store"/> (which must hold it) is well formed, certified, and records the file's hash and size.
    /// The certificate's signatures are not checked here: they need the view in force at that block, and whoever replays
    /// on from the snapshot checks that block in full (a replica reading its own store checked them when it wrote them).
    /// Returns null, or why the snapshot does not qualify.
    /// </summary>
    public static string? TryLoad(BlockStore store, SnapshotStore snapshots, GenesisDocument genesis, long number,
        out ReplicaSnapshot? snapshot, out CheckpointRecord? record)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(genesis);
        snapshot = null;
        Block checkpoint = store.Read(number + genesis.CheckpointPeriod);
        if (CheckpointBlock.Check(checkpoint, genesis.CheckpointPeriod, out record) is { } malformed)
        {
            return $"block {checkpoint.Header.Number} is not a checkpoint block: {malformed}";
        }

        if (checkpoint.Certificate is null)
        {
            return $"checkpoint block {checkpoint.Header.Number} has no certificate";
        }

        byte[] bytes = snapshots.Read(number);
        if (CheckpointBlock.CheckSnapshot(record!, bytes) is { } wrong)
        {
            return wrong;
        }

        try
        {
            snapshot = ReplicaSnapshot.Parse(bytes);
            return null;
        }
        catch (Core.Encoding.EncodingException e)
        {
            return $"the snapshot does not parse: {e.Message}";
        }
    }
}
