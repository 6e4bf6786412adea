using SmartChain.Coin;

namespace SmartChain.Node;

/// <summary>
/// Per-replica options that are not part of the network's genesis. Everything but the defaults exists to reproduce
/// the naive baselines of the paper's Table I in benchmarks.
/// </summary>
public sealed record ReplicaOptions
{
    /// <summary>How SMaRtCoin executes (the baselines verify signatures inside execution, sequentially).</summary>
    public CoinExecutionOptions Coin { get; init; } = CoinExecutionOptions.Default;

    /// <summary>The blockchain layer, or one of the baselines that replace it.</summary>
    public LedgerMode Ledger { get; init; } = LedgerMode.Blockchain;

    /// <summary>SmartChain as specified.</summary>
    public static ReplicaOptions Default { get; } = new();
}
