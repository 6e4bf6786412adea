using System.Buffers;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Messages;

/// <summary>
/// Canonical encoding of consensus messages:
/// <code>
/// u8 type · i64 view · i64 instance · i32 regency · body
/// PROPOSE : batch = u32 count · count × (u32 length · request bytes)
/// WRITE   : 32 B hash · 64 B signature
/// ACCEPT  : 32 B hash · 64 B signature
/// DECISION: batch · u32 votes · votes × (i32 replica · 64 B signature)
/// FETCH   : (empty)
/// STOP    : (empty)
/// STOPDATA: u8 has decision · [i32 regency · batch · proof] · u8 has certificate · [i32 regency · 32 B hash ·
///           u32 n · n × (i32 replica · 64 B signature) · batch] · 64 B signature
/// SYNC    : u32 m · m × (i32 from · i64 instance · STOPDATA body) · batch (empty: no batch bound)
/// FORWARD : batch
/// </code>
/// Decoding is bounded by <see cref="MessageLimits"/> and throws only <see cref="EncodingException"/>.
/// </summary>
public static class MessageCodec
{
    /// <summary>Encodes <paramref name="message"/>.</summary>
    public static byte[] Encode(ConsensusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(message is Propose or DecisionMessage or StopData or Sync or Forward ? 4096 : 128);
        var writer = new CanonicalWriter(buffer);
        writer.WriteUInt8((byte)message.Type);
        writer.WriteInt64(message.ViewId);
        writer.WriteInt64(message.Instance);
        writer.WriteInt32(message.Regency);
        switch (message)
        {
            case Propose p:
                WriteBatch(ref writer, p.Batch);
                break;
            case Forward f:
                WriteBatch(ref writer, f.Batch);
                break;
            case Write w:
                w.BatchHash.WriteTo(ref writer);
                WriteSignature(ref writer, w.Signature.Span);
                break;
            case Accept a:
                a.BatchHash.WriteTo(ref writer);
                WriteSignature(ref writer, a.Signature.Span);
                break;
            case DecisionMessage d:
                WriteBatch(ref writer, d.Batch);
                d.Proof.WriteTo(ref writer);
                break;
            case Fetch or StopMessage:
                break;
            case StopData sd:
                WriteStopData(ref writer, sd);
                break;
            case Sync sync:
                writer.WriteCount(sync.StopDatas.Count, Core.Limits.MaxViewMembers);
                foreach ((int from, StopData data) in sync.StopDatas)
                {
                    writer.WriteInt32(from);
                    writer.WriteInt64(data.Instance);
                    WriteStopData(ref writer, data);
                }

                WriteBatch(ref writer, sync.Batch);
                break;
            default:
                throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes one message; the request bytes inside are copied out of <paramref name="bytes"/>.</summary>
    /// <exception cref="EncodingException">Malformed, or beyond <paramref name="limits"/>.</exception>
    public static ConsensusMessage Decode(ReadOnlySpan<byte> bytes, MessageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var reader = new CanonicalReader(bytes);
        int at = reader.Position;
        byte type = reader.ReadUInt8();
        long view = reader.ReadInt64(0, long.MaxValue);
        long instance = reader.ReadInt64(1, long.MaxValue);
        int regency = reader.ReadInt32();
        if (regency < 0)
        {
            throw new EncodingException(at + 17, $"regency {regency} is negative");
        }

        ConsensusMessage message = (MessageType)type switch
        {
            MessageType.Propose => new Propose(view, instance, regency, ReadBatch(ref reader, limits)),
            MessageType.Write => new Write(view, instance, regency, Hash256.ReadFrom(ref reader), reader.ReadFixed(Ed25519.SignatureSize).ToArray()),
            MessageType.Accept => new Accept(view, instance, regency, Hash256.ReadFrom(ref reader), reader.ReadFixed(Ed25519.SignatureSize).ToArray()),
            MessageType.Decision => new DecisionMessage(view, instance, regency, ReadBatch(ref reader, limits), DecisionProof.ReadFrom(ref reader)),
            MessageType.Fetch => new Fetch(view, instance, regency),
            MessageType.Stop => new StopMessage(view, instance, regency),
            MessageType.Forward => new Forward(view, instance, regency, ReadBatch(ref reader, limits)),
            MessageType.StopData => ReadStopData(ref reader, limits, view, instance, regency),
            MessageType.Sync => ReadSync(ref reader, limits, view, instance, regency),
            _ => throw new EncodingException(at, $"unknown message type {type}"),
        };
        reader.EnsureEnd();
        return message;
    }

    private static void WriteBatch(ref CanonicalWriter writer, IReadOnlyList<SignedRequest> batch)
    {
        writer.WriteCount(batch.Count, Core.Limits.MaxBatchRequests);
        foreach (SignedRequest request in batch)
        {
            writer.WriteBytes(request.Encoded.Span, Core.Limits.MaxRequestBytes);
        }
    }

    private static void WriteStopData(ref CanonicalWriter writer, StopData data)
    {
        writer.WriteBool(data.LastDecision is not null);
        if (data.LastDecision is { } d)
        {
            writer.WriteInt64(d.Instance);
            writer.WriteInt32(d.Regency);
            WriteBatch(ref writer, d.Batch);
            d.Proof.WriteTo(ref writer);
        }

        writer.WriteBool(data.Certificate is not null);
        if (data.Certificate is { } c)
        {
            writer.WriteInt32(c.Regency);
            c.BatchHash.WriteTo(ref writer);
            writer.WriteCount(c.Writes.Count, Core.Limits.MaxViewMembers);
            foreach ((int replica, ReadOnlyMemory<byte> signature) in c.Writes)
            {
                writer.WriteInt32(replica);
                WriteSignature(ref writer, signature.Span);
            }

            WriteBatch(ref writer, c.Batch);
        }

        WriteSignature(ref writer, data.Signature.Span);
    }

    private static StopData ReadStopData(ref CanonicalReader reader, MessageLimits limits, long view, long instance, int regency)
    {
        DecisionMessage? decision = null;
        if (reader.ReadBool())
        {
            long decided = reader.ReadInt64(1, long.MaxValue);
            int decidedRegency = reader.ReadInt32();
            decision = new DecisionMessage(view, decided, decidedRegency, ReadBatch(ref reader, limits), DecisionProof.ReadFrom(ref reader));
        }

        WriteCertificate? certificate = null;
        if (reader.ReadBool())
        {
            int certRegency = reader.ReadInt32();
            Hash256 hash = Hash256.ReadFrom(ref reader);
            var writes = new (int, ReadOnlyMemory<byte>)[reader.ReadCount(Core.Limits.MaxViewMembers, 4 + Ed25519.SignatureSize)];
            for (int i = 0; i < writes.Length; i++)
            {
                writes[i] = (reader.ReadInt32(), reader.ReadFixed(Ed25519.SignatureSize).ToArray());
            }

            certificate = new WriteCertificate(instance, certRegency, hash, ReadBatch(ref reader, limits), writes);
        }

        return new StopData(view, instance, regency, decision, certificate, reader.ReadFixed(Ed25519.SignatureSize).ToArray());
    }

    private static Sync ReadSync(ref CanonicalReader reader, MessageLimits limits, long view, long instance, int regency)
    {
        var datas = new (int, StopData)[reader.ReadCount(Core.Limits.MaxViewMembers, 4 + 8 + 2 + Ed25519.SignatureSize)];
        for (int i = 0; i < datas.Length; i++)
        {
            int from = reader.ReadInt32();
            long dataInstance = reader.ReadInt64(1, long.MaxValue);
            datas[i] = (from, ReadStopData(ref reader, limits, view, dataInstance, regency));
        }

        return new Sync(view, instance, regency, datas, ReadBatch(ref reader, limits));
    }

    private static void WriteSignature(ref CanonicalWriter writer, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519.SignatureSize)
        {
            throw new EncodingException(writer.Written, $"signature of {signature.Length} bytes; Ed25519 signatures are {Ed25519.SignatureSize}");
        }

        writer.WriteFixed(signature);
    }

    private static SignedRequest[] ReadBatch(ref CanonicalReader reader, MessageLimits limits)
    {
        int count = reader.ReadCount(limits.MaxBatch, 4 + Core.Limits.RequestOverheadBytes);
        var batch = new SignedRequest[count];
        for (int i = 0; i < count; i++)
        {
            int at = reader.Position;
            byte[] encoded = reader.ReadBytesToArray(limits.MaxRequestBytes);
            try
            {
                batch[i] = SignedRequest.Decode(encoded);
            }
            catch (EncodingException e)
            {
                throw new EncodingException(at, $"request {i} of the batch: {e.Message}");
            }
        }

        return batch;
    }
}
