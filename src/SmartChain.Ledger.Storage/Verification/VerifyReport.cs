using SmartChain.Core.Crypto;

namespace SmartChain.Ledger.Verification;

/// <summary>
/// What <see cref="LedgerVerifier"/> found: how much it checked, the head, the state hash re-execution reached, and on
/// failure the first bad block and why.
/// </summary>
public sealed record VerifyReport(long Blocks, long Transactions, Hash256 HeadHash, long? FirstBadBlock, string? Failure, TimeSpan Elapsed)
{
    /// <summary>True if every block checked out.</summary>
    public bool Passed => Failure is null;

    /// <summary>The application's state hash after the last block (only when passed).</summary>
    public Hash256? StateHash { get; init; }

    /// <summary>The checkpoint block whose verified snapshot the check started from; null: it re-executed from genesis.</summary>
    public long? FromCheckpoint { get; init; }

    /// <summary>The view in force after the last block (only when passed), and how many reconfiguration blocks led to it.</summary>
    public Core.Views.View? View { get; init; }

    /// <summary>Blocks at the tail that have no certificate yet.</summary>
    public long Uncertified { get; init; }

    /// <summary>Transactions verified per second.</summary>
    public double TransactionsPerSecond => Elapsed.TotalSeconds > 0 ? Transactions / Elapsed.TotalSeconds : 0;

    /// <inheritdoc />
    public override string ToString() => Passed
        ? $"verified {Blocks} blocks, {Transactions} transactions, head {HeadHash}, state {StateHash} in {Elapsed.TotalSeconds:0.00} s ({TransactionsPerSecond:0} tx/s)"
        : $"block {FirstBadBlock}: {Failure}";
}
