using SmartChain.Core.Encoding;

namespace SmartChain.Network.Client;

/// <summary>
/// A replica's answer to a query: <c>u64 query id · i64 last executed instance · i32 connected peers · i64 block height
/// · i32 leader · i32 regency · i64 view · runtime (5 × i64: bytes allocated, gen0, gen1 and gen2 collections, GC pause ticks) · bytes body</c>.
/// Clients compare bodies across replicas; the rest describes the replica and may differ.
/// </summary>
public sealed record QueryResultMessage(ulong QueryId, long ExecutedInstance, int ConnectedPeers, ReadOnlyMemory<byte> Body)
{
    /// <summary>The replica's last block built (executed; not necessarily durable yet).</summary>
    public long BlockHeight { get; init; }

    /// <summary>The leader the replica follows.</summary>
    public int Leader { get; init; }

    /// <summary>The replica's regency (leader term).</summary>
    public int Regency { get; init; }

    /// <summary>The view the replica is in.</summary>
    public long ViewId { get; init; }

    /// <summary>The garbage collector's totals in the replica's process when it answered (a benchmark's allocation and pause figures).</summary>
    public RuntimeCounters Runtime { get; init; }

    /// <summary>One line for error messages.</summary>
    public string Describe() => $"view {ViewId}, executed {ExecutedInstance}, block {BlockHeight}, regency {Regency}, leader {Leader}, {ConnectedPeers} peers";

    /// <summary>Largest answer body.</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[8 + 8 + 4 + 8 + 4 + 4 + 8 + (5 * 8) + 4 + Body.Length];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt64(QueryId);
        writer.WriteInt64(ExecutedInstance);
        writer.WriteInt32(ConnectedPeers);
        writer.WriteInt64(BlockHeight);
        writer.WriteInt32(Leader);
        writer.WriteInt32(Regency);
        writer.WriteInt64(ViewId);
        writer.WriteInt64(Runtime.AllocatedBytes);
        writer.WriteInt64(Runtime.Gen0Collections);
        writer.WriteInt64(Runtime.Gen1Collections);
        writer.WriteInt64(Runtime.Gen2Collections);
        writer.WriteInt64(Runtime.GcPauseTicks);
        writer.WriteBytes(Body.Span, MaxBodyBytes);
        return bytes;
    }

    /// <exception cref="EncodingException">Not a canonical answer.</exception>
    public static QueryResultMessage Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
    {
        ulong id = r.ReadUInt64();
        long executed = r.ReadInt64();
        int peers = r.ReadInt32();
        long height = r.ReadInt64();
        int leader = r.ReadInt32();
        int regency = r.ReadInt32();
        long view = r.ReadInt64(0, long.MaxValue);
        var runtime = new RuntimeCounters(r.ReadInt64(0, long.MaxValue), r.ReadInt64(0, long.MaxValue), r.ReadInt64(0, long.MaxValue),
            r.ReadInt64(0, long.MaxValue), r.ReadInt64(0, long.MaxValue));
        return new QueryResultMessage(id, executed, peers, r.ReadBytesToArray(MaxBodyBytes))
        {
            BlockHeight = height, Leader = leader, Regency = regency, ViewId = view, Runtime = runtime,
        };
    });
}
