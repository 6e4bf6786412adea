namespace SmartChain.Coin.Api.Models;

/// <summary>
/// A key's coins, one page: the owner, the balance (decimal string: it can exceed 2^64) and count of all its coins, this
/// page's coins in id order, and <c>next</c>, the <c>after</c> of the following page (null on the last).
/// </summary>
public sealed record CoinsResponse(string Owner, string Balance, int CoinCount, IReadOnlyList<CoinJson> Coins, string? Next);
