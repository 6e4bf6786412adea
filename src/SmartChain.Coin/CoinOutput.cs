using SmartChain.Core.Crypto;

namespace SmartChain.Coin;

/// <summary>An output of a MINT or SPEND, and the contents of a coin: who owns it and how much it is worth.</summary>
/// <param name="Owner">The public key that may spend the coin.</param>
/// <param name="Value">The coin's value.</param>
public readonly record struct CoinOutput(Ed25519PublicKey Owner, ulong Value)
{
    /// <summary>Encoded size: 32-byte owner and u64 value.</summary>
    public const int EncodedSize = Ed25519PublicKey.Size + 8;
}
