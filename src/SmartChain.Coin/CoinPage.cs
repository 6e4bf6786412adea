using SmartChain.Core.Crypto;

namespace SmartChain.Coin;

/// <summary>One page of an owner's coins, in id order.</summary>
/// <param name="Coins">At most <see cref="CoinQuery.MaxPageCoins"/> coins.</param>
/// <param name="Next">The cursor for the next page (this page's last id), or null if this was the last page.</param>
public sealed record CoinPage(IReadOnlyList<(Hash256 Id, ulong Value)> Coins, Hash256? Next);
