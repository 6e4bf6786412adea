namespace SmartChain.Nemesis.History;

/// <summary>The SMaRtCoin operation a history record is about.</summary>
public enum OperationKind
{
    /// <summary>A MINT by a minter wallet.</summary>
    Mint,

    /// <summary>A SPEND of coins the client holds.</summary>
    Spend,
}
