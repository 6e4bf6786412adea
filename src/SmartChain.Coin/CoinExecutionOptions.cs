namespace SmartChain.Coin;

/// <summary>How SMaRtCoin executes.</summary>
public sealed record CoinExecutionOptions
{
    /// <summary>
    /// Verify each request's signature inside execution, sequentially: the paper's naive baseline. Off by default,
    /// because SmartChain verifies every signature once, in parallel, before ordering (through CheckTx).
    /// </summary>
    public bool VerifySignaturesInExecution { get; init; }

    /// <summary>Signatures pre-verified before ordering.</summary>
    public static CoinExecutionOptions Default { get; } = new();
}
