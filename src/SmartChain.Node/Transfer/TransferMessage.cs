using SmartChain.Core.Encoding;
using SmartChain.Ledger;

namespace SmartChain.Node.Transfer;

/// <summary>
/// State-transfer messages between replicas (frame type 7), <c>u8 kind · u64 request id · fields</c>, canonical.
/// Requests ask, the answers carry only what can be verified: certified headers, certified blocks, and snapshot bytes
/// that the requester hashes against a certified checkpoint block. An answer repeats its request's id, so an answer
/// meant for an earlier request (or an earlier incarnation of the replica) is never taken for the current one.
/// </summary>
internal abstract record TransferMessage
{
    /// <summary>Chosen by the requester; echoed by the answer.</summary>
    public ulong RequestId { get; init; }

    /// <summary>Most blocks in one answer; a requester asks again for the rest of its range.</summary>
    public const int MaxBlocksPerAnswer = 256;

    /// <summary>Bytes of blocks one answer aims at (it always carries at least one block).</summary>
    public const int AnswerBudgetBytes = 2 * 1024 * 1024;

    /// <summary>Largest snapshot chunk.</summary>
    public const int MaxChunkBytes = 1024 * 1024;

    private const int MaxReasonBytes = 512;

    private enum Kind : byte
    {
        TipRequest = 1,
        Tip = 2,
        BlocksRequest = 3,
        Blocks = 4,
        SnapshotRequest = 5,
        SnapshotChunk = 6,
        Unavailable = 7,
    }

    /// <summary>Asks for the sender's highest certified block, and the proofs of the views after <paramref name="KnownView"/>.</summary>
    public sealed record TipRequest(long KnownView = 0) : TransferMessage;

    /// <summary>
    /// The highest block certified here: its header and certificate (none for genesis), and the receipts of the entries
    /// that installed the views after the one the requester knows, so it can check a certificate of a later view.
    /// </summary>
    public sealed record Tip(BlockHeader Header, BlockCertificate? Certificate, IReadOnlyList<TransactionReceipt> Views) : TransferMessage
    {
        /// <summary>A tip in the requester's own view.</summary>
        public Tip(BlockHeader header, BlockCertificate? certificate)
            : this(header, certificate, [])
        {
        }
    }

    private const int MaxReceiptBytes = 4 * 1024 * 1024;

    /// <summary>Asks for certified blocks <paramref name="From"/>..<paramref name="To"/>.</summary>
    public sealed record BlocksRequest(long From, long To) : TransferMessage;

    /// <summary>Consecutive certified blocks starting at <paramref name="From"/> (possibly fewer than asked).</summary>
    public sealed record Blocks(long From, IReadOnlyList<Block> Items) : TransferMessage;

    /// <summary>Asks for <paramref name="Length"/> bytes at <paramref name="Offset"/> of the snapshot of the state after block <paramref name="SnapshotBlock"/>.</summary>
    public sealed record SnapshotRequest(long SnapshotBlock, long Offset, int Length) : TransferMessage;

    /// <summary>Bytes of a snapshot.</summary>
    public sealed record SnapshotChunk(long SnapshotBlock, long Offset, ReadOnlyMemory<byte> Data) : TransferMessage;

    /// <summary>The sender cannot serve a request (a snapshot pruned, blocks not yet certified).</summary>
    public sealed record Unavailable(long Block, string Reason) : TransferMessage;

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, TransferMessage m) =>
    {
        w.WriteUInt8(KindOf(m));
        w.WriteUInt64(m.RequestId);
        switch (m)
        {
            case TipRequest request:
                w.WriteInt64(request.KnownView);
                break;
            case Tip tip:
                tip.Header.WriteTo(ref w);
                WriteCertificate(ref w, tip.Certificate);
                w.WriteCount(tip.Views.Count, Ledger.Reconfiguration.ViewChain.MaxProofs);
                foreach (TransactionReceipt proof in tip.Views)
                {
                    w.WriteBytes(proof.Encode(), MaxReceiptBytes);
                }

                break;
            case BlocksRequest request:
                w.WriteInt64(request.From);
                w.WriteInt64(request.To);
                break;
            case Blocks blocks:
                w.WriteInt64(blocks.From);
                w.WriteCount(blocks.Items.Count, MaxBlocksPerAnswer);
                foreach (Block block in blocks.Items)
                {
                    block.WriteTo(ref w);
                    WriteCertificate(ref w, block.Certificate);
                }

                break;
            case SnapshotRequest request:
                w.WriteInt64(request.SnapshotBlock);
                w.WriteInt64(request.Offset);
                w.WriteInt32(request.Length);
                break;
            case SnapshotChunk chunk:
                w.WriteInt64(chunk.SnapshotBlock);
                w.WriteInt64(chunk.Offset);
                w.WriteBytes(chunk.Data.Span, MaxChunkBytes);
                break;
            case Unavailable unavailable:
                w.WriteInt64(unavailable.Block);
                w.WriteString(unavailable.Reason, MaxReasonBytes);
                break;
        }
    });

    /// <exception cref="EncodingException">Not a transfer message.</exception>
    public static TransferMessage Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode<TransferMessage>(bytes, static (ref CanonicalReader r) =>
    {
        int at = r.Position;
        var kind = (Kind)r.ReadUInt8();
        ulong id = r.ReadUInt64();
        return ReadBody(ref r, kind, at) with { RequestId = id };
    });

    private static TransferMessage ReadBody(ref CanonicalReader r, Kind kind, int at)
    {
        switch (kind)
        {
            case Kind.TipRequest:
                return new TipRequest(r.ReadInt64(0, long.MaxValue));
            case Kind.Tip:
                BlockHeader header = BlockHeader.ReadFrom(ref r);
                BlockCertificate? certificate = ReadCertificate(ref r);
                var views = new TransactionReceipt[r.ReadCount(Ledger.Reconfiguration.ViewChain.MaxProofs, 4)];
                for (int i = 0; i < views.Length; i++)
                {
                    views[i] = TransactionReceipt.Decode(r.ReadBytes(MaxReceiptBytes));
                }

                return new Tip(header, certificate, views);
            case Kind.BlocksRequest:
                return new BlocksRequest(r.ReadInt64(0, long.MaxValue), r.ReadInt64(0, long.MaxValue));
            case Kind.Blocks:
                long from = r.ReadInt64(0, long.MaxValue);
                var items = new Block[r.ReadCount(MaxBlocksPerAnswer, BlockHeader.EncodedSize)];
                for (int i = 0; i < items.Length; i++)
                {
                    items[i] = Block.ReadFrom(ref r) with { Certificate = ReadCertificate(ref r) };
                }

                return new Blocks(from, items);
            case Kind.SnapshotRequest:
                return new SnapshotRequest(r.ReadInt64(0, long.MaxValue), r.ReadInt64(0, long.MaxValue), r.ReadInt32());
            case Kind.SnapshotChunk:
                return new SnapshotChunk(r.ReadInt64(0, long.MaxValue), r.ReadInt64(0, long.MaxValue), r.ReadBytesToArray(MaxChunkBytes));
            case Kind.Unavailable:
                return new Unavailable(r.ReadInt64(0, long.MaxValue), r.ReadString(MaxReasonBytes));
            default:
                throw new EncodingException(at, $"unknown state-transfer message kind {(byte)kind}");
        }
    }

    private static byte KindOf(TransferMessage message) => (byte)(message switch
    {
        TipRequest => Kind.TipRequest,
        Tip => Kind.Tip,
        BlocksRequest => Kind.BlocksRequest,
        Blocks => Kind.Blocks,
        SnapshotRequest => Kind.SnapshotRequest,
        SnapshotChunk => Kind.SnapshotChunk,
        _ => Kind.Unavailable,
    });

    private static void WriteCertificate(ref CanonicalWriter w, BlockCertificate? certificate)
    {
        w.WriteBool(certificate is not null);
        certificate?.WriteTo(ref w);
    }

    private static BlockCertificate? ReadCertificate(ref CanonicalReader r) => r.ReadBool() ? BlockCertificate.ReadFrom(ref r) : null;
}
