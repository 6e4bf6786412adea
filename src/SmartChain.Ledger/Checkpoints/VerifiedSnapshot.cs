using SmartChain.Core.Genesis;
using SmartChain.Ledger.Store;

namespace SmartChain.Ledger.Checkpoints;

/// <summary>A snapshot file taken only when a certified checkpoint block of the ledger vouches for it.</summary>
public static class VerifiedSnapshot
{
    /// <summary>
    /// Loads the snapshot of the state after block <paramref name="number"/> if checkpoint block <c>number + P</c> of
    /// <paramref name="store"/> (which must hold it) is well formed, certified, and records the file's hash and size.
    /// An auditor sets <paramref name="checkSignatures"/> to check the certificate against the view; a replica reading
    /// its own store, whose certificates it checked when it wrote them, needs only the certificate to be there.
    /// Returns null, or why the snapshot does not qualify.
    /// </summary>
    public static string? TryLoad(BlockStore store, SnapshotStore snapshots, GenesisDocument genesis, long number, bool checkSignatures,
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

        if (checkSignatures && checkpoint.Certificate.Verify(genesis.InitialView, genesis.ChainId, checkpoint.Hash) is { } bad)
        {
            return $"the certificate of checkpoint block {checkpoint.Header.Number}: {bad}";
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
