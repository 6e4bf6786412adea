using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Ledger;

/// <summary>
/// Proof that a transaction was ordered and executed with a given result (SPEC §4.2, strong mode): the block header,
/// its certificate, the entry and its result, and the Merkle paths that tie both to the header. Anyone holding the
/// view checks it alone, offline, without asking a replica. Canonical encoding <c>u8 version 1 · header ·
/// certificate · i32 index · bytes entry · bytes result · entry proof · result proof</c>.
/// </summary>
public sealed record TransactionReceipt(BlockHeader Header, BlockCertificate Certificate, int Index, ReadOnlyMemory<byte> Entry,
    ReadOnlyMemory<byte> Result, MerkleProof EntryProof, MerkleProof ResultProof)
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Block number the transaction is in.</summary>
    public long BlockNumber => Header.Number;

    /// <summary>
    /// Null if the receipt holds: the certificate has Q valid signatures of distinct <paramref name="view"/> members over
    /// the header, both paths lead to the header's roots at <see cref="Index"/>, and the entry is a client request
    /// signed for <paramref name="chainId"/>. Otherwise why not. Set <paramref name="certificateChecked"/> when the
    /// caller already verified this header's certificate (a client caches them: many receipts share a block), and
    /// <paramref name="entryKnown"/> when the caller signed the entry itself and compared it byte for byte.
    /// <paramref name="nodes"/> lets the Merkle paths of receipts of the same block share their inner nodes' hashes.
    /// </summary>
    public string? Verify(View view, string chainId, bool certificateChecked = false, bool entryKnown = false, MerkleNodeMemo? nodes = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!BlockMerkle.Verify(EntryProof, Index, Entry.Span, Header.HashTransactions, nodes))
        {
            return $"the entry is not entry {Index} of block {Header.Number} (Merkle path does not lead to hashTransactions)";
        }

        if (!BlockMerkle.Verify(ResultProof, Index, Result.Span, Header.HashResults, nodes))
        {
            return $"the result is not result {Index} of block {Header.Number} (Merkle path does not lead to hashResults)";
        }

        if (!certificateChecked && Certificate.Verify(view, chainId, Header.Hash()) is { } bad)
        {
            return $"certificate of block {Header.Number}: {bad}";
        }

        if (entryKnown)
        {
            return null;
        }

        if (!SignedRequest.TryDecode(Entry, out SignedRequest? request, out EncodingException? error))
        {
            return $"the entry is not a client request: {error!.Message}";
        }

        return request!.Verify(chainId) ? null : "the client's signature on the entry does not verify";
    }

    /// <summary>The request the receipt is about.</summary>
    /// <exception cref="EncodingException">The entry is not a request.</exception>
    public SignedRequest Request() => SignedRequest.Decode(Entry);

    /// <summary>The canonical bytes (what <c>smartchain coin spend</c> saves).</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[EncodedSize];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        WriteTo(ref writer);
        return bytes;
    }

    /// <summary>The length of <see cref="Encode"/>'s bytes, known before writing them (a reply embeds the receipt in place).</summary>
    public int EncodedSize => 1 + BlockHeader.EncodedSize + Certificate.EncodedSize + 4 + 4 + Entry.Length + 4 + Result.Length
        + EntryProof.EncodedSize + ResultProof.EncodedSize;

    /// <summary>Writes the canonical bytes: exactly <see cref="EncodedSize"/> of them.</summary>
    public void WriteTo(ref CanonicalWriter w)
    {
        w.WriteUInt8(Version);
        Header.WriteTo(ref w);
        Certificate.WriteTo(ref w);
        w.WriteInt32(Index);
        w.WriteBytes(Entry.Span, BlockBody.MaxItemBytes);
        w.WriteBytes(Result.Span, BlockBody.MaxItemBytes);
        EntryProof.WriteTo(ref w);
        ResultProof.WriteTo(ref w);
    }

    /// <summary>Reads a receipt written by <see cref="Encode"/>.</summary>
    /// <exception cref="EncodingException">Not a canonical receipt; the offset says where.</exception>
    public static TransactionReceipt Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
    {
        int at = r.Position;
        byte version = r.ReadUInt8();
        if (version != Version)
        {
            throw new EncodingException(at, $"receipt version {version}; this build reads {Version}");
        }

        return new TransactionReceipt(BlockHeader.ReadFrom(ref r), BlockCertificate.ReadFrom(ref r), r.ReadInt32(),
            r.ReadBytesToArray(BlockBody.MaxItemBytes), r.ReadBytesToArray(BlockBody.MaxItemBytes), MerkleProof.ReadFrom(ref r), MerkleProof.ReadFrom(ref r));
    });
}
