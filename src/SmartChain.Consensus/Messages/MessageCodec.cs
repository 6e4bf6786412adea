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
/// </code>
/// Decoding is bounded by <see cref="MessageLimits"/> and throws only <see cref="EncodingException"/>.
/// </summary>
public static class MessageCodec
{
    /// <summary>Encodes <paramref name="message"/>.</summary>
    public static byte[] Encode(ConsensusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(message is Propose or DecisionMessage ? 4096 : 128);
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
            case Fetch:
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
