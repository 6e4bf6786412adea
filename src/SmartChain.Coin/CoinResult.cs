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
        Span<Hash256> created = stackalloc Hash256[Math.Min(CreatedCoins.Count, CoinLimits.MaxOutputs)];
        for (int i = 0; i < created.Length; i++)
        {
            created[i] = CreatedCoins[i];
        }

        return CreatedCoins.Count > CoinLimits.MaxOutputs && Code == CoinResultCode.Ok
            ? throw new EncodingException(1, $"count {CreatedCoins.Count} outside 0..{CoinLimits.MaxOutputs}")
            : Encode(Code, created);
    }

    /// <summary>The canonical bytes of a result with <paramref name="code"/> and, if it is Ok, <paramref name="created"/>.</summary>
    internal static byte[] Encode(CoinResultCode code, ReadOnlySpan<Hash256> created)
    {
        // u8 code · (if Ok) u32 count little-endian · count × 32 B id: written by hand, once per transaction, so no
        // writer object is allocated for it (CoinResultEncodingTests and CoinIndexDeterminismTests pin the bytes).
        if (code == CoinResultCode.Ok && created.Length > CoinLimits.MaxOutputs)
        {
            throw new EncodingException(1, $"count {created.Length} outside 0..{CoinLimits.MaxOutputs}");
        }

        byte[] bytes = new byte[code == CoinResultCode.Ok ? 1 + 4 + (created.Length * Hash256.Size) : 1];
        bytes[0] = (byte)code;
        if (code == CoinResultCode.Ok)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(1), (uint)created.Length);
            for (int i = 0; i < created.Length; i++)
            {
                created[i].CopyTo(bytes.AsSpan(5 + (i * Hash256.Size)));
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
