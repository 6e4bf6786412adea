namespace SmartChain.Coin;

/// <summary>SMaRtCoin's limits, in one place.</summary>
public static class CoinLimits
{
    /// <summary>Most inputs of one SPEND. Enough for a wallet to consolidate many small coins in one payment.</summary>
    public const int MaxInputs = 64;

    /// <summary>Most outputs of one MINT or SPEND.</summary>
    public const int MaxOutputs = 64;

    /// <summary>Largest encoded operation: a SPEND with the most inputs and outputs.</summary>
    public const int MaxOperationBytes = 1 + 4 + (MaxInputs * 32) + 4 + (MaxOutputs * CoinOutput.EncodedSize);
}
