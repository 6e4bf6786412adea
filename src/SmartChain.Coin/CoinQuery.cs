using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin;

/// <summary>
/// SMaRtCoin's read-only query: the unspent coins of one owner. Query <c>u8 1 · 32 B owner</c>; answer
/// <c>u32 n · n × (32 B coin id · u64 value)</c>, sorted by coin id so every correct replica answers identically.
/// </summary>
public static class CoinQuery
{
    private const byte CoinsOfOwner = 1;

    /// <summary>The query for <paramref name="owner"/>'s coins.</summary>
    public static byte[] CoinsOf(Ed25519PublicKey owner)
    {
        byte[] bytes = new byte[1 + Ed25519PublicKey.Size];
        bytes[0] = CoinsOfOwner;
        owner.CopyTo(bytes.AsSpan(1));
        return bytes;
    }

    /// <summary>Decodes an answer.</summary>
    /// <exception cref="EncodingException">Not a canonical answer.</exception>
    public static IReadOnlyList<(Hash256 Id, ulong Value)> DecodeCoins(ReadOnlySpan<byte> answer) =>
        CanonicalEncoding.Decode(answer, static (ref CanonicalReader r) =>
        {
            var coins = new (Hash256, ulong)[r.ReadCount(int.MaxValue, Hash256.Size + 8)];
            for (int i = 0; i < coins.Length; i++)
            {
                coins[i] = (Hash256.ReadFrom(ref r), r.ReadUInt64());
            }

            return (IReadOnlyList<(Hash256 Id, ulong Value)>)coins;
        });

    internal static Ed25519PublicKey DecodeOwner(ReadOnlySpan<byte> query)
    {
        var reader = new CanonicalReader(query);
        byte kind = reader.ReadUInt8();
        if (kind != CoinsOfOwner)
        {
            throw new EncodingException(0, $"unknown query kind {kind}");
        }

        Ed25519PublicKey owner = Ed25519PublicKey.ReadFrom(ref reader);
        reader.EnsureEnd();
        return owner;
    }

    internal static byte[] EncodeCoins(List<(Hash256 Id, ulong Value)> coins)
    {
        byte[] bytes = new byte[4 + (coins.Count * (Hash256.Size + 8))];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteCount(coins.Count, int.MaxValue);
        foreach ((Hash256 id, ulong value) in coins)
        {
            id.WriteTo(ref writer);
            writer.WriteUInt64(value);
        }

        return bytes;
    }
}
