using SmartChain.Coin;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;

namespace SmartChain.TestSupport;

/// <summary>Checks replicas' ledgers the way <c>smartchain ledger verify</c> does, and that they agree.</summary>
public static class LedgerAssert
{
    /// <summary>
    /// Verifies each data folder's ledger alone, replaying it with <paramref name="application"/> (SMaRtCoin when null),
    /// and returns the reports; all must pass with one head and one state.
    /// </summary>
    public static IReadOnlyList<VerifyReport> VerifiedAndIdentical(GenesisDocument genesis, IEnumerable<string> dataDirs, ApplicationFactory? application = null)
    {
        application ??= g => CoinApplication.ForGenesis(g);
        var reports = new List<VerifyReport>();
        foreach (string dataDir in dataDirs)
        {
            using BlockStore store = BlockStore.OpenReadOnly(dataDir);
            VerifyReport report = LedgerVerifier.Verify(store, genesis, application(genesis));
            Assert.True(report.Passed, $"{dataDir}: {report}");
            reports.Add(report);
        }

        // Replicas stopped at slightly different heights compare on the blocks they all hold.
        long common = reports.Min(r => r.Blocks) - 1;
        Assert.True(common > 0, "no block beyond genesis");
        var heads = new HashSet<Hash256>();
        foreach (string dataDir in dataDirs)
        {
            using BlockStore store = BlockStore.OpenReadOnly(dataDir);
            heads.Add(store.Read(common).Hash);
        }

        Assert.Single(heads);
        return reports;
    }

    /// <summary>Digests of every request in a replica's ledger.</summary>
    public static HashSet<Hash256> EntryDigests(string dataDir)
    {
        using BlockStore store = BlockStore.OpenReadOnly(dataDir);
        var digests = new HashSet<Hash256>();
        for (long n = 1; n <= store.Height; n++)
        {
            foreach (ReadOnlyMemory<byte> entry in store.Read(n).Body.Entries)
            {
                digests.Add(Hash256.Compute(entry.Span));
            }
        }

        return digests;
    }
}
