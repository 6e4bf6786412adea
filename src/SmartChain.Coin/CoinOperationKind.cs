namespace SmartChain.Coin;

/// <summary>First byte of a SMaRtCoin operation.</summary>
public enum CoinOperationKind : byte
{
    /// <summary>Create coins from nothing; only minters may.</summary>
    Mint = 1,

    /// <summary>Consume owned coins and create coins of the same total value.</summary>
    Spend = 2,
}
