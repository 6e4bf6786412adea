namespace SmartChain.Coin.Api.Models;

/// <summary>An unspent coin: its id (hex) and value.</summary>
public sealed record CoinJson(string Id, ulong Value);
