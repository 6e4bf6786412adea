using System.Buffers;
using SmartChain.Consensus.Messages;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// The canonical bytes of one <see cref="VoteRecord"/>, as the node's vote log stores them (inside its length and
/// CRC frame): <c>u8 kind · i64 instance · i32 regency · 32 B hash · u32 n · n × bytes request · u8 has certificate ·
/// [u32 m · m × (i32 replica · 64 B signature) · u32 k · k × bytes request]</c>. The certificate (an ACCEPT's) is of the
/// record's instance, regency and hash; records written before it existed end after the requests and read as without
/// one. It lives here so that the simulator restarts replicas from exactly the bytes a real replica would read back.
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

        WriteCertificate? certificate = vote.Certificate;
        writer.WriteBool(certificate is not null);
        if (certificate is null)
        {
            return;
        }

        if (certificate.Instance != vote.Instance || certificate.Regency != vote.Regency || certificate.BatchHash != vote.BatchHash)
        {
            throw new ArgumentException($"a {vote.Kind} record of instance {vote.Instance} carries a certificate of instance {certificate.Instance}", nameof(vote));
        }

        writer.WriteCount(certificate.Writes.Count, Limits.MaxViewMembers);
        foreach ((int replica, ReadOnlyMemory<byte> signature) in certificate.Writes)
        {
            writer.WriteInt32(replica);
            writer.WriteFixed(signature.Span);
        }

        writer.WriteCount(certificate.Batch.Count, Limits.MaxBatchRequests);
        foreach (SignedRequest request in certificate.Batch)
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
        SignedRequest[] batch = ReadRequests(ref r);

        WriteCertificate? certificate = null;
        if (r.Remaining > 0 && r.ReadBool())
        {
            var writes = new (int, ReadOnlyMemory<byte>)[r.ReadCount(Limits.MaxViewMembers, 4 + Ed25519.SignatureSize)];
            for (int i = 0; i < writes.Length; i++)
            {
                writes[i] = (r.ReadInt32(), r.ReadFixed(Ed25519.SignatureSize).ToArray());
            }

            certificate = new WriteCertificate(instance, regency, hash, ReadRequests(ref r), writes);
        }

        return new VoteRecord(kind, instance, regency, hash, batch.Length == 0 ? null : batch, certificate);
    });

    private static SignedRequest[] ReadRequests(ref CanonicalReader r)
    {
        var batch = new SignedRequest[r.ReadCount(Limits.MaxBatchRequests, 4)];
        for (int i = 0; i < batch.Length; i++)
        {
            batch[i] = SignedRequest.Decode(r.ReadBytesToArray(Limits.MaxRequestBytes));
        }

        return batch;
    }
}
