using SmartChain.Consensus;
using SmartChain.Ledger;
using SmartChain.Node.Startup;

namespace SmartChain.Storage.Simulation;

/// <summary>The invariants a restarted replica's storage must meet against what was reported durable before the crash.</summary>
internal static class RecoveryCheck
{
    /// <summary>
    /// (a) every block, certificate, vote and snapshot reported durable is there, byte for byte; (b) every block the
    /// store holds is the chain's block, byte for byte (a torn tail never reads as a block). Then what the restarted
    /// replica holds becomes what it reports durable.
    /// </summary>
    public static void Run(RecoveredReplica replica, Durable durable, SimulatedDisk disk, StorageChain chain, string dataDir)
    {
        var store = replica.Store;
        if (store.Height < durable.Height)
        {
            throw new InvariantViolation($"(a) block {durable.Height} was reported durable, but the restarted store ends at block {store.Height}");
        }

        if (store.CommittedHeight != store.Height)
        {
            throw new InvariantViolation($"the restarted store holds block {store.Height} but reports {store.CommittedHeight} committed");
        }

        for (long n = 0; n <= store.Height; n++)
        {
            Block block = store.Read(n);
            if (!StorageChain.Encode(block).AsSpan().SequenceEqual(StorageChain.Encode(chain.Blocks[(int)n])))
            {
                throw new InvariantViolation($"(b) block {n} read back differs from the block appended");
            }

            if (block.Certificate is { } certificate)
            {
                if (!StorageChain.Encode(certificate).AsSpan().SequenceEqual(StorageChain.Encode(chain.Certificates[(int)n]!)))
                {
                    throw new InvariantViolation($"(b) the certificate of block {n} read back differs from the one appended");
                }
            }
            else if (durable.Certificates.Contains(n))
            {
                throw new InvariantViolation($"(a) the certificate of block {n} was reported durable and is gone");
            }
        }

        long decided = replica.Ledger.LastConsensusId;
        foreach (VoteRecord vote in durable.Votes)
        {
            if (vote.Instance > decided && !replica.RestoredVotes.Any(v => Same(v, vote)))
            {
                throw new InvariantViolation($"(a) the {vote.Kind} vote of undecided instance {vote.Instance} was fsynced and is not restored (ledger decided up to {decided})");
            }
        }

        foreach (VoteRecord vote in replica.RestoredVotes)
        {
            if (!durable.Votes.Any(v => Same(v, vote)) && !chain.Votes.Any(vs => vs.Any(v => Same(v, vote))))
            {
                throw new InvariantViolation($"(b) a {vote.Kind} vote of instance {vote.Instance} was restored that was never cast");
            }
        }

        foreach (long snapshot in durable.Snapshots)
        {
            byte[]? bytes = disk.Peek(replica.Snapshots.PathOf(snapshot));
            if (bytes is null || !bytes.AsSpan().SequenceEqual(chain.Snapshots[snapshot]))
            {
                throw new InvariantViolation($"(a) the snapshot of block {snapshot} was written durably and is {(bytes is null ? "gone" : "changed")} in {dataDir}");
            }
        }

        durable.Height = store.CommittedHeight;
        durable.Certificates.Clear();
        for (long n = 0; n <= store.Height; n++)
        {
            if (store.Read(n).Certificate is not null)
            {
                durable.Certificates.Add(n);
            }
        }

        durable.Votes.Clear();
        durable.Votes.AddRange(replica.RestoredVotes);
    }

    private static bool Same(VoteRecord a, VoteRecord b) =>
        a.Kind == b.Kind && a.Instance == b.Instance && a.Regency == b.Regency && a.BatchHash == b.BatchHash;
}
