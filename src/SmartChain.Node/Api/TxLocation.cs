namespace SmartChain.Node.Api;

/// <summary>Where a transaction is: entry <paramref name="Index"/> of block <paramref name="Block"/>.</summary>
public readonly record struct TxLocation(long Block, int Index);
