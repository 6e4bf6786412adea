using System.Diagnostics;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger.Store;

namespace SmartChain.Ledger.Verification;

/// <summary>
/// Checks one replica's ledger on its own (SPEC §4.3, structural part): block 0 is the genesis block, every block links
/// to the one before, both Merkle roots match the body, every block after genesis carries a certificate of Q distinct
/// members of the view, and every entry is a client request signed for this chain. Stops at the first bad block and
/// says why. Re-execution of the application and views changed by reconfiguration blocks are added by later issues.
/// </summary>
public static class LedgerVerifier
{
    /// <summary>Verifies every block of <paramref name="store"/> against <paramref name="genesis"/>.</summary>
    /// <param name="store">An open store (opening already refused torn or corrupt files).</param>
    /// <param name="genesis">The genesis the ledger claims to descend from.</param>
    /// <param name="allowUncertifiedTail">Weak mode: blocks after the last certified one may still lack a certificate.</param>
    public static VerifyReport Verify(BlockStore store, GenesisDocument genesis, bool allowUncertifiedTail = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(genesis);
        var clock = Stopwatch.StartNew();
        long transactions = 0;
        Hash256 previous = Hash256.Zero;
        long lastCertified = LastCertified(store);
        for (long n = 0; n <= store.Height; n++)
        {
            Block block = store.Read(n);
            string? failure = n == 0 ? CheckGenesis(block, genesis) : CheckBlock(block, previous, genesis, allowUncertifiedTail && n > lastCertified);
            if (failure is not null)
            {
                return new VerifyReport(n, transactions, previous, n, failure, clock.Elapsed);
            }

            transactions += n == 0 ? 0 : block.Body.Entries.Count;
            previous = block.Hash;
        }

        return new VerifyReport(store.Height + 1, transactions, previous, null, null, clock.Elapsed);
    }

    private static long LastCertified(BlockStore store)
    {
        for (long n = store.Height; n > 0; n--)
        {
            if (store.Read(n).Certificate is not null)
            {
                return n;
            }
        }

        return 0;
    }

    private static string? CheckGenesis(Block block, GenesisDocument genesis) =>
        block.Hash == Block.Genesis(genesis).Hash ? null : "block 0 is not the genesis block of this genesis.json";

    private static string? CheckBlock(Block block, Hash256 previous, GenesisDocument genesis, bool mayLackCertificate)
    {
        BlockHeader header = block.Header;
        if (header.HashLastBlock != previous)
        {
            return "hashLastBlock does not match the hash of the previous block";
        }

        if (block.Body.Entries.Count != block.Body.Results.Count)
        {
            return $"{block.Body.Entries.Count} entries but {block.Body.Results.Count} results";
        }

        if (BlockMerkle.Root(block.Body.Entries) != header.HashTransactions)
        {
            return "hashTransactions does not match the entries";
        }

        if (BlockMerkle.Root(block.Body.Results) != header.HashResults)
        {
            return "hashResults does not match the results";
        }

        if (block.Certificate is null)
        {
            if (!mayLackCertificate)
            {
                return "no certificate";
            }
        }
        else if (block.Certificate.Verify(genesis.InitialView, genesis.ChainId, block.Hash) is { } bad)
        {
            return $"certificate: {bad}";
        }

        for (int j = 0; j < block.Body.Entries.Count; j++)
        {
            if (!SignedRequest.TryDecode(block.Body.Entries[j], out SignedRequest? request, out var error))
            {
                return $"entry {j} is not a client request: {error!.Message}";
            }

            if (!request!.Verify(genesis.ChainId))
            {
                return $"entry {j} ({request.Digest}): the client's signature does not verify for chain {genesis.ChainId}";
            }
        }

        return null;
    }
}
