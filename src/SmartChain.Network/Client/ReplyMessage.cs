using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Network.Client;

/// <summary>
/// A replica's answer to a request: <c>32 B request digest · u8 status · i64 instance · bytes result</c>. The replica is
/// the authenticated sender of the frame. Clients accept a result once Q replicas sent identical replies.
/// </summary>
public sealed record ReplyMessage(Hash256 Digest, ReplyStatus Status, long Instance, ReadOnlyMemory<byte> Result)
{
    /// <summary>Largest result carried.</summary>
    public const int MaxResultBytes = 64 * 1024;

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[Hash256.Size + 1 + 8 + 4 + Result.Length];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        Digest.WriteTo(ref writer);
        writer.WriteUInt8((byte)Status);
        writer.WriteInt64(Instance);
        writer.WriteBytes(Result.Span, MaxResultBytes);
        return bytes;
    }

    /// <exception cref="EncodingException">Not a canonical reply.</exception>
    public static ReplyMessage Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
    {
        Hash256 digest = Hash256.ReadFrom(ref r);
        int at = r.Position;
        byte status = r.ReadUInt8();
        if (status > (byte)ReplyStatus.Rejected)
        {
            throw new EncodingException(at, $"unknown reply status {status}");
        }

        return new ReplyMessage(digest, (ReplyStatus)status, r.ReadInt64(), r.ReadBytesToArray(MaxResultBytes));
    });

    /// <summary>
    /// True if both replies report the same outcome. Executed and Duplicate count as one: a replica that received the
    /// client's copy only after deciding the request (it came in the leader's proposal) answers from its reply cache,
    /// with the same instance and result as the replicas that executed it with the client's copy in hand.
    /// </summary>
    public bool Matches(ReplyMessage other) =>
        other is not null && Digest == other.Digest && Outcome(Status) == Outcome(other.Status) && Instance == other.Instance &&
        Result.Span.SequenceEqual(other.Result.Span);

    private static ReplyStatus Outcome(ReplyStatus status) => status == ReplyStatus.Duplicate ? ReplyStatus.Executed : status;
}
