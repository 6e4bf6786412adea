using System.Buffers;
using SmartChain.Consensus.Messages;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// The canonical bytes of one <see cref="VoteRecord"/>, as the node's vote log stores them (inside its length and
/// CRC frame): <c>u8 kind · i64 instance · i32 regency · 32 B hash · u32 n · n × bytes request</c>. It lives here so
/// that the simulator restarts replicas from exactly the bytes a real replica would read back.
/// </summary>
public static class VoteRecordCodec
{
    /// <summary>Appends the record's bytes to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, VoteRecord vote)
    {
        ArgumentNullException.ThrowIfNull(vote);
        var writer = new CanonicalWriter(output);
        writer.WriteUInt8((byte)vote.Kind);
        writer.WriteInt64(vote.Instance);
        writer.WriteInt32(vote.Regency);
        vote.BatchHash.WriteTo(ref writer);
        IReadOnlyList<SignedRequest> batch = vote.Batch ?? [];
        writer.WriteCount(batch.Count, Limits.MaxBatchRequests);
        foreach (SignedRequest request in batch)
        {
            writer.WriteBytes(request.Encoded.Span, Limits.MaxRequestBytes);
        }
    }

    /// <summary>The record <paramref name="bytes"/> hold; throws <see cref="EncodingException"/> if they are not one.</summary>
    public static VoteRecord Read(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
    {
        var kind = (MessageType)r.ReadUInt8();
        long instance = r.ReadInt64();
        int regency = r.ReadInt32();
        Hash256 hash = Hash256.ReadFrom(ref r);
        var batch = new SignedRequest[r.ReadCount(Limits.MaxBatchRequests, 4)];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = SignedRequest.Decode(r.ReadBytesToArray(Limits.MaxRequestBytes));
        }

        return new VoteRecord(kind, instance, regency, hash, batch.Length == 0 ? null : batch);
    });
}
