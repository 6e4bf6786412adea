using System.Diagnostics;
using SmartChain.Core.Application;
using SmartChain.Core.Genesis;
using SmartChain.Ledger.Checkpoints;
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
        return Replay(store, new ChainReplayer(genesis, app), 0, last, app, progress, clock);
    }

    /// <summary>
    /// The fast audit: starts from the newest snapshot in <paramref name="snapshots"/> that matches the record of a
    /// certified checkpoint block (its record against the file's hash and size), checks that the blocks up to the
    /// snapshot's link from genesis (hashes, roots and the views installed on the way, not re-executed), and verifies every
    /// block after it in full, the recording checkpoint block's certificate included. Fails, saying why, if no snapshot
    /// qualifies.
    /// </summary>
    public static VerifyReport VerifyFromCheckpoint(BlockStore store, GenesisDocument genesis, IReplicatedApplication app, SnapshotStore snapshots,
        long? upTo = null, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(snapshots);
        var clock = Stopwatch.StartNew();
        long last = Math.Min(upTo ?? store.Height, store.Height);
        var refused = new List<string>();
        foreach (long number in snapshots.Available())
        {
            long recordedBy = number + genesis.CheckpointPeriod;
            if (recordedBy > last)
            {
                refused.Add($"{number}: checkpoint block {recordedBy}, which records it, is beyond the ledger's last block {last}");
                continue;
            }

            if (VerifiedSnapshot.TryLoad(store, snapshots, genesis, number, out ReplicaSnapshot? snapshot, out CheckpointRecord? record) is { } problem)
            {
                refused.Add($"{number}: {problem}");
                continue;
            }

            var replayer = new ChainReplayer(genesis, app);
            for (long n = 0; n < number; n++)
            {
                if (replayer.Link(store.Read(n)) is { } broken)
                {
                    return Failed(replayer, n, broken, 0, clock);
                }

                progress?.Invoke(n);
            }

            replayer.Machine.Application.RestoreSnapshot(snapshot!.Application.Span);
            if (replayer.StartAt(store.Read(number), snapshot, record!.SnapshotHash, record.SnapshotSize) is { } mismatch)
            {
                return Failed(replayer, number, mismatch, 0, clock);
            }

            return Replay(store, replayer, number + 1, last, app, progress, clock) with { FromCheckpoint = number };
        }

        string tried = refused.Count == 0 ? $"there are no snapshot files in {snapshots.Folder}" : "tried " + string.Join("; ", refused);
        return new VerifyReport(0, 0, default, 0, $"no snapshot matches a certified checkpoint block of this ledger ({tried}); verify from genesis instead", clock.Elapsed);
    }

    private static VerifyReport Replay(BlockStore store, ChainReplayer replayer, long first, long last, IReplicatedApplication app, Action<long>? progress,
        Stopwatch clock)
    {
        long uncertified = 0;
        for (long n = first; n <= last; n++)
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
            View = replayer.View,
        };
    }

    private static VerifyReport Failed(ChainReplayer replayer, long block, string failure, long uncertified, Stopwatch clock) =>
        new(block, replayer.Transactions, replayer.Head, block, failure, clock.Elapsed) { Uncertified = uncertified };
}
