using SmartChain.Core.Crypto;

namespace SmartChain.Coin.Wallet;

/// <summary>A coin the wallet owns; <see cref="Pending"/> while a submitted SPEND uses it.</summary>
/// <param name="Id">The coin id.</param>
/// <param name="Value">Its value.</param>
/// <param name="Pending">True while a SPEND that uses it awaits its result.</param>
public readonly record struct OwnedCoin(Hash256 Id, ulong Value, bool Pending);
