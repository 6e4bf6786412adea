using SmartChain.Ledger;
using SmartChain.Ledger.Store;

namespace SmartChain.Node.Tests;

/// <summary>A crash that left a replica's block store ending just before a checkpoint block, made on purpose.</summary>
internal static class LedgerCut
{
    /// <summary>
    /// Rewrites the block store in <paramref name="dataDir"/> to end right before its last checkpoint block c (blocks
    /// 0 … c − 1, with their certificates); the rest of the data folder (vote log, snapshots) stays. Returns c.
    /// </summary>
    public static long BeforeLastCheckpoint(string dataDir, long period)
    {
        Block[] kept;
        using (BlockStore store = BlockStore.OpenReadOnly(dataDir))
        {
            long cut = store.Height / period * period;
            Assert.True(cut >= 2 * period, $"the replica holds blocks up to {store.Height} only");
            kept = [.. Enumerable.Range(0, (int)cut).Select(n => store.Read(n))];
        }

        Assert.True(kept[^1].Body.DecisionProof.Length > 0 && kept.All(b => b.Certificate is not null || b.Header.Number == 0));
        Directory.Delete(Path.Combine(dataDir, BlockStore.FolderName), recursive: true);
        using (BlockStore fresh = BlockStore.Open(dataDir))
        {
            foreach (Block block in kept)
            {
                fresh.Append(block);
            }

            fresh.Commit();
        }

        return kept.Length;
    }
}
