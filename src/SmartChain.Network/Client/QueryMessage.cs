using SmartChain.Core.Encoding;

namespace SmartChain.Network.Client;

/// <summary>A read-only query: <c>u64 query id · bytes body</c> (the body is the application's).</summary>
public sealed record QueryMessage(ulong QueryId, ReadOnlyMemory<byte> Body)
{
    /// <summary>Largest query body.</summary>
    public const int MaxBodyBytes = 4096;

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[8 + 4 + Body.Length];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt64(QueryId);
        writer.WriteBytes(Body.Span, MaxBodyBytes);
        return bytes;
    }

    /// <exception cref="EncodingException">Not a canonical query.</exception>
    public static QueryMessage Decode(ReadOnlySpan<byte> bytes) =>
        CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) => new QueryMessage(r.ReadUInt64(), r.ReadBytesToArray(MaxBodyBytes)));
}
