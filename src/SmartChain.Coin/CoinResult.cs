using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin;

/// <summary>
/// The result of one transaction, as recorded in the block: <c>u8 code</c>, and for <see cref="CoinResultCode.Ok"/>
/// <c>u32 n · n × 32 B</c> created coin ids in output order.
/// </summary>
public sealed record CoinResult(CoinResultCode Code, IReadOnlyList<Hash256> CreatedCoins)
{
    /// <summary>Successful execution that created <paramref name="coins"/>.</summary>
    public static CoinResult Ok(IReadOnlyList<Hash256> coins) => new(CoinResultCode.Ok, coins);

    /// <summary>A rejection; nothing was created.</summary>
    public static CoinResult Rejected(CoinResultCode code) => new(code, []);

    /// <summary>True when the transaction executed.</summary>
    public bool Succeeded => Code == CoinResultCode.Ok;

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[Code == CoinResultCode.Ok ? 1 + 4 + (CreatedCoins.Count * Hash256.Size) : 1];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt8((byte)Code);
        if (Code == CoinResultCode.Ok)
        {
            writer.WriteCount(CreatedCoins.Count, CoinLimits.MaxOutputs);
            foreach (Hash256 id in CreatedCoins)
            {
                id.WriteTo(ref writer);
            }
        }

        return bytes;
    }

    /// <summary>Decodes result bytes.</summary>
    /// <exception cref="EncodingException">Not a canonical result.</exception>
    public static CoinResult Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
    {
        int at = r.Position;
        byte code = r.ReadUInt8();
        if (code > (byte)CoinResultCode.ZeroValue)
        {
            throw new EncodingException(at, $"unknown result code {code}");
        }

        if (code != (byte)CoinResultCode.Ok)
        {
            return Rejected((CoinResultCode)code);
        }

        var ids = new Hash256[r.ReadCount(CoinLimits.MaxOutputs, Hash256.Size)];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = Hash256.ReadFrom(ref r);
        }

        return Ok(ids);
    });
}
