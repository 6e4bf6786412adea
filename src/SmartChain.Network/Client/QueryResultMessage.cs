using SmartChain.Core.Encoding;

namespace SmartChain.Network.Client;

/// <summary>
/// A replica's answer to a query: <c>u64 query id · i64 last executed instance · i32 connected peers · bytes body</c>.
/// Clients compare bodies across replicas; the instance and peer count describe the replica and may differ.
/// </summary>
public sealed record QueryResultMessage(ulong QueryId, long ExecutedInstance, int ConnectedPeers, ReadOnlyMemory<byte> Body)
{
    /// <summary>Largest answer body.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[8 + 8 + 4 + 4 + Body.Length];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt64(QueryId);
        writer.WriteInt64(ExecutedInstance);
        writer.WriteInt32(ConnectedPeers);
        writer.WriteBytes(Body.Span, MaxBodyBytes);
        return bytes;
    }

    /// <exception cref="EncodingException">Not a canonical answer.</exception>
    public static QueryResultMessage Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
        new QueryResultMessage(r.ReadUInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadBytesToArray(MaxBodyBytes)));
}
