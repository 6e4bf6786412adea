using SmartChain.Core.IO;
using SmartChain.Core.Application;
using SmartChain.Core.Genesis;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;
using SmartChain.Reconfiguration.Keys;

namespace SmartChain.ReplicaSimulation;

/// <summary>The checks on removed replicas after a run, each returning what it found wrong (nothing when all held).</summary>
internal static class SimReconfigurationChecks
{
    /// <summary>
    /// A replica removed by block B (it left or was excluded) cannot get anything certified after its removal: its own
    /// ledger verifies from genesis, agrees with the members' at every common height and ends at B at the latest; its key
    /// chain is erased (no view key left to sign with); and no member's ledger holds a certificate after B that carries its
    /// signature.
    /// </summary>
    public static IEnumerable<string> Removals(GenesisDocument genesis, ApplicationFactory application, IReadOnlyDictionary<int, long> removedAt,
        IReadOnlyList<string> memberDataDirs, IReadOnlyList<IStorage> memberStorages, Func<int, string> dataDir, Func<int, IStorage> storageOf,
        Func<int, string> keyChainFile)
    {
        var failures = new List<string>();
        if (removedAt.Count == 0)
        {
            return failures;
        }

        var members = new List<BlockStore>();
        try
        {
            for (int m = 0; m < memberDataDirs.Count; m++)
            {
                members.Add(BlockStore.OpenReadOnly(memberDataDirs[m], storage: memberStorages[m]));
            }

            foreach ((int removed, long block) in removedAt)
            {
                using (BlockStore store = BlockStore.OpenReadOnly(dataDir(removed), storage: storageOf(removed)))
                {
                    VerifyReport report = LedgerVerifier.Verify(store, genesis, application(genesis));
                    if (!report.Passed)
                    {
                        failures.Add($"removed replica {removed}: its ledger does not verify: {report}");
                    }

                    if (store.Height > block)
                    {
                        failures.Add($"removed replica {removed} holds blocks up to {store.Height}, after block {block} that removed it");
                    }

                    foreach (BlockStore member in members)
                    {
                        for (long n = 0; n <= Math.Min(store.Height, member.Height); n++)
                        {
                            if (store.Read(n).Hash != member.Read(n).Hash)
                            {
                                failures.Add($"removed replica {removed}'s ledger differs from a member's at block {n}");
                                break;
                            }
                        }
                    }
                }

                using (ViewKeyChain chain = ViewKeyChain.Open(keyChainFile(removed)))
                {
                    if (chain.Position < chain.Length)
                    {
                        failures.Add($"removed replica {removed} still holds view keys from index {chain.Position} of {chain.Length}");
                    }
                }

                foreach (BlockStore member in members)
                {
                    for (long n = block + 1; n <= member.Height; n++)
                    {
                        if (member.Read(n).Certificate is { } certificate && certificate.Signatures.Any(s => s.ReplicaId == removed))
                        {
                            failures.Add($"block {n}, after block {block} that removed replica {removed}, carries its signature in its certificate");
                            break;
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (BlockStore store in members)
            {
                store.Dispose();
            }
        }

        return failures;
    }
}
