using System.Diagnostics;
using SmartChain.Core.Application;
using SmartChain.Core.Genesis;
using SmartChain.Ledger.Store;

namespace SmartChain.Ledger.Verification;

/// <summary>
/// Checks one replica's ledger on its own (SPEC §4.3): block 0 is the genesis block, every block links to the one
/// before, both Merkle roots match the body, every certificate has Q valid signatures of distinct members of the view,
/// every entry is a client request signed for this chain, and re-executing the application from genesis reproduces
/// every recorded result. Reports the first bad block and why, or the head and the final state hash.
/// </summary>
public static class LedgerVerifier
{
    /// <summary>
    /// Blocks at the end of a ledger that may still lack their certificate: the ones a replica was certifying when it
    /// stopped or is certifying now. An uncertified block further back is a failure.
    /// </summary>
    public const int UncertifiedTailBlocks = 256;

    /// <summary>Verifies every block of <paramref name="store"/> against <paramref name="genesis"/>, replaying onto <paramref name="app"/>.</summary>
    /// <param name="store">An open store (opening already refused corrupt files).</param>
    /// <param name="genesis">The genesis the ledger claims to descend from.</param>
    /// <param name="app">A fresh application (genesis state) to re-execute on.</param>
    /// <param name="upTo">Last block to check (a running replica's last committed block); all if null.</param>
    /// <param name="progress">Hears the number of each verified block, for progress output.</param>
    public static VerifyReport Verify(BlockStore store, GenesisDocument genesis, IReplicatedApplication app, long? upTo = null, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(app);
        var clock = Stopwatch.StartNew();
        long last = Math.Min(upTo ?? store.Height, store.Height);
        var replayer = new ChainReplayer(genesis, app);
        long uncertified = 0;
        for (long n = 0; n <= last; n++)
        {
            Block block;
            try
            {
                block = store.Read(n);
            }
            catch (Exception e) when (e is Core.Encoding.EncodingException or IOException)
            {
                return Failed(replayer, n, $"cannot be read: {e.Message}", uncertified, clock);
            }

            if (n > 0 && block.Certificate is null)
            {
                if (last - n >= UncertifiedTailBlocks)
                {
                    return Failed(replayer, n, $"no certificate, and {last - n} blocks follow it (only the last {UncertifiedTailBlocks} may still be collecting theirs)", uncertified, clock);
                }

                uncertified++;
            }

            if (replayer.Apply(block, ReplayChecks.Full | ReplayChecks.AllowUncertified, out _, out _) is { } failure)
            {
                return Failed(replayer, n, failure, uncertified, clock);
            }

            progress?.Invoke(n);
        }

        return new VerifyReport(last + 1, replayer.Transactions, replayer.Head, null, null, clock.Elapsed)
        {
            StateHash = app.ComputeStateHash(),
            Uncertified = uncertified,
        };
    }

    private static VerifyReport Failed(ChainReplayer replayer, long block, string failure, long uncertified, Stopwatch clock) =>
        new(block, replayer.Transactions, replayer.Head, block, failure, clock.Elapsed) { Uncertified = uncertified };
}
