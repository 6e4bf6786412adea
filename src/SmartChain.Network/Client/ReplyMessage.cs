using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Network.Client;

/// <summary>
/// A replica's answer to a request: <c>32 B request digest · u8 status · i64 instance · i64 block · bytes result ·
/// bytes receipt · i64 view · bytes attestation</c>. The replica is the authenticated sender of the frame. Clients accept
/// a result once Q replicas sent matching replies, or (strong persistence) from one reply whose receipt verifies. The
/// receipt is opaque here: the ledger layer encodes and checks it. <see cref="ViewId"/> is the view the replica is in, so
/// a client holding an older view learns that it must refresh (SPEC §7); <see cref="Attestation"/> is this replica's own
/// signature over the result where the result asks for one (its vote on an approved JOIN), and differs per replica.
/// </summary>
public sealed record ReplyMessage(Hash256 Digest, ReplyStatus Status, long Instance, ReadOnlyMemory<byte> Result)
{
    /// <summary>Largest result carried.</summary>
    public const int MaxResultBytes = 64 * 1024;

    /// <summary>Largest receipt carried.</summary>
    public const int MaxReceiptBytes = 256 * 1024;

    /// <summary>The block holding the request (0 when not executed).</summary>
    public long Block { get; init; }

    /// <summary>A transaction receipt (strong persistence), or empty.</summary>
    public ReadOnlyMemory<byte> Receipt { get; init; }

    /// <summary>The view the replica is in when it replies.</summary>
    public long ViewId { get; init; }

    /// <summary>The replica's signature over the result (a JOIN vote), or empty.</summary>
    public ReadOnlyMemory<byte> Attestation { get; init; }

    /// <summary>Largest attestation carried.</summary>
    public const int MaxAttestationBytes = 256;

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[EncodedLength(Receipt.Length)];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        WriteHead(ref writer);
        writer.WriteBytes(Receipt.Span, MaxReceiptBytes);
        WriteTail(ref writer);
        return bytes;
    }

    // The encoding's size with a receipt of receiptLength bytes, and the fields before and after the receipt: shared by
    // both encoders, so the in-place one cannot drift from the canonical one.
    private int EncodedLength(int receiptLength) => Hash256.Size + 1 + 8 + 8 + 4 + Result.Length + 4 + receiptLength + 8 + 4 + Attestation.Length;

    private void WriteHead(ref CanonicalWriter writer)
    {
        Digest.WriteTo(ref writer);
        writer.WriteUInt8((byte)Status);
        writer.WriteInt64(Instance);
        writer.WriteInt64(Block);
        writer.WriteBytes(Result.Span, MaxResultBytes);
    }

    private void WriteTail(ref CanonicalWriter writer)
    {
        writer.WriteInt64(ViewId);
        writer.WriteBytes(Attestation.Span, MaxAttestationBytes);
    }

    /// <summary>
    /// The canonical bytes of this reply with <paramref name="receipt"/> as its receipt (in place of
    /// <see cref="Receipt"/>), written straight into the reply's array by <paramref name="writeReceipt"/>, which must
    /// write exactly <paramref name="receiptLength"/> bytes: the same bytes as <c>(this with { Receipt = encoded
    /// receipt }).Encode()</c>, without the receipt's own array and the reply's copy. A replica in strong mode sends one
    /// per transaction.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="writeReceipt"/> wrote another length than it announced.</exception>
    public byte[] Encode<T>(T receipt, int receiptLength, CanonicalEncoding.Encoder<T> writeReceipt)
    {
        ArgumentNullException.ThrowIfNull(writeReceipt);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(receiptLength, MaxReceiptBytes);
        byte[] bytes = new byte[EncodedLength(receiptLength)];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        WriteHead(ref writer);
        writer.WriteUInt32((uint)receiptLength);
        int start = writer.Written;
        writeReceipt(ref writer, receipt);
        if (writer.Written - start != receiptLength)
        {
            throw new InvalidOperationException($"the receipt wrote {writer.Written - start} bytes, not the {receiptLength} it announced");
        }

        WriteTail(ref writer);
        return bytes;
    }

    /// <exception cref="EncodingException">Not a canonical reply.</exception>
    public static ReplyMessage Decode(ReadOnlySpan<byte> bytes) =>
        CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) => Read(ref r, ReadOnlyMemory<byte>.Empty));

    /// <summary>
    /// Like <see cref="Decode"/>, but the reply's result, receipt and attestation are slices of <paramref name="bytes"/>,
    /// not copies: for a caller that owns the bytes and never changes them (a client's received frame, whose plaintext
    /// array is its own). A strong-mode client gets four replies per request, each with a receipt of over a kilobyte.
    /// </summary>
    /// <exception cref="EncodingException">Not a canonical reply.</exception>
    public static ReplyMessage DecodeShared(ReadOnlyMemory<byte> bytes)
    {
        var reader = new CanonicalReader(bytes.Span);
        ReplyMessage reply = Read(ref reader, bytes);
        reader.EnsureEnd();
        return reply;
    }

    // Reads the fields; the byte strings are slices of source when it is given (it is what the reader reads), else copies.
    private static ReplyMessage Read(ref CanonicalReader r, ReadOnlyMemory<byte> source)
    {
        Hash256 digest = Hash256.ReadFrom(ref r);
        int at = r.Position;
        byte status = r.ReadUInt8();
        if (status > (byte)ReplyStatus.Rejected)
        {
            throw new EncodingException(at, $"unknown reply status {status}");
        }

        long instance = r.ReadInt64();
        long block = r.ReadInt64();
        return new ReplyMessage(digest, (ReplyStatus)status, instance, Bytes(ref r, source, MaxResultBytes))
        {
            Block = block,
            Receipt = Bytes(ref r, source, MaxReceiptBytes),
            ViewId = r.ReadInt64(0, long.MaxValue),
            Attestation = Bytes(ref r, source, MaxAttestationBytes),
        };
    }

    private static ReadOnlyMemory<byte> Bytes(ref CanonicalReader r, ReadOnlyMemory<byte> source, int maxLength)
    {
        if (source.IsEmpty)
        {
            return r.ReadBytesToArray(maxLength);
        }

        int length = r.ReadBytes(maxLength).Length;
        return source.Slice(r.Position - length, length);
    }

    /// <summary>
    /// True if both replies report the same outcome. Executed and Duplicate count as one: a replica that received the
    /// client's copy only after deciding the request (it came in the leader's proposal) answers from its reply cache,
    /// with the same instance and result as the replicas that executed it with the client's copy in hand.
    /// </summary>
    public bool Matches(ReplyMessage other) =>
        other is not null && Digest == other.Digest && Outcome(Status) == Outcome(other.Status) && Instance == other.Instance && Block == other.Block &&
        Result.Span.SequenceEqual(other.Result.Span);

    private static ReplyStatus Outcome(ReplyStatus status) => status == ReplyStatus.Duplicate ? ReplyStatus.Executed : status;
}
