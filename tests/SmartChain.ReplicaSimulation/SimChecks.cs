using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.IO;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;

namespace SmartChain.ReplicaSimulation;

/// <summary>The checks on the replicas' files after a run, each returning what it found wrong (nothing when all held).</summary>
internal static class SimChecks
{
    /// <summary>
    /// Every ledger verifies alone from genesis (the <c>ledger verify</c> replay, certificates included); all are byte
    /// for byte identical at every height they share; every acknowledged request is in every ledger exactly once, in
    /// the block its acknowledgement named. <paramref name="storages"/> are the replicas' disks (default: the real one).
    /// </summary>
    public static IEnumerable<string> Ledgers(GenesisDocument genesis, ApplicationFactory application, string[] dataDirs, SimClient[] clients,
        IReadOnlyList<IStorage>? storages = null)
    {
        var failures = new List<string>();
        var stores = new List<BlockStore>();
        try
        {
            foreach (string dataDir in dataDirs)
            {
                BlockStore store = BlockStore.OpenReadOnly(dataDir, storage: storages?[stores.Count]);
                stores.Add(store);
                VerifyReport report = LedgerVerifier.Verify(store, genesis, application(genesis));
                if (!report.Passed)
                {
                    failures.Add($"{Path.GetFileName(Path.GetDirectoryName(dataDir))}: the ledger does not verify: {report}");
                }
            }

            long common = stores.Min(s => s.Height);
            for (long n = 0; n <= common; n++)
            {
                Hash256 first = stores[0].Read(n).Hash;
                for (int i = 1; i < stores.Count; i++)
                {
                    if (stores[i].Read(n).Hash != first)
                    {
                        failures.Add($"ledgers differ at block {n}: replica 0 and replica {i}");
                        return failures;
                    }
                }
            }

            for (int i = 0; i < stores.Count; i++)
            {
                var where = new Dictionary<Hash256, List<long>>();
                for (long n = 1; n <= stores[i].Height; n++)
                {
                    foreach (ReadOnlyMemory<byte> entry in stores[i].Read(n).Body.Entries)
                    {
                        Hash256 digest = Hash256.Compute(entry.Span);
                        if (!where.TryGetValue(digest, out List<long>? blocks))
                        {
                            where[digest] = blocks = [];
                        }

                        blocks.Add(n);
                    }
                }

                foreach (SimClient client in clients)
                {
                    foreach ((Hash256 digest, long block, _) in client.Acknowledged)
                    {
                        if (!where.TryGetValue(digest, out List<long>? blocks))
                        {
                            failures.Add($"replica {i}'s ledger (height {stores[i].Height}) lacks acknowledged request {digest} of block {block}");
                        }
                        else if (blocks.Count != 1 || blocks[0] != block)
                        {
                            failures.Add($"replica {i}'s ledger holds acknowledged request {digest} in blocks [{string.Join(", ", blocks)}], acknowledged in block {block}");
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (BlockStore store in stores)
            {
                store.Dispose();
            }
        }

        return failures;
    }
}
