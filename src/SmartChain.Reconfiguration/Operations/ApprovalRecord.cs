using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Reconfiguration.Operations;

/// <summary>
/// What a replica signs when it approves a JOIN (SPEC §5): the view it votes in, the JOIN request's transaction id (which
/// binds the joiner's identity, addresses, key chain and payload), the joiner's id and identity, and the consensus
/// instances at which the approval was decided and after which it expires. Canonical bytes, which the votes sign:
/// <c>u8 0x06 · string chain id · i64 view · 32 B join tx id · i32 replica id · 32 B identity · i64 approved at ·
/// i64 expires at</c>. Every replica derives the same record from the same decided JOIN.
/// </summary>
public sealed record ApprovalRecord(string ChainId, long ViewId, Hash256 JoinTransaction, int ReplicaId, Ed25519PublicKey Identity,
    long ApprovedAt, long ExpiresAt)
{
    /// <summary>Largest encoding.</summary>
    public const int MaxEncodedBytes = 1 + 4 + Limits.MaxChainIdBytes + 8 + 32 + 4 + 32 + 8 + 8;

    /// <summary>The canonical bytes (what votes sign).</summary>
    public byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, ApprovalRecord a) =>
    {
        w.WriteUInt8((byte)SignatureDomain.JoinApproval);
        w.WriteString(a.ChainId, Limits.MaxChainIdBytes);
        w.WriteInt64(a.ViewId);
        a.JoinTransaction.WriteTo(ref w);
        w.WriteInt32(a.ReplicaId);
        a.Identity.WriteTo(ref w);
        w.WriteInt64(a.ApprovedAt);
        w.WriteInt64(a.ExpiresAt);
    });

    /// <summary>A replica's vote: its signature of the record with its key of the record's view.</summary>
    public byte[] Sign(Ed25519KeyPair viewKey)
    {
        ArgumentNullException.ThrowIfNull(viewKey);
        return viewKey.Sign(Encode());
    }

    /// <summary>Decodes a record, or returns null with the reason.</summary>
    public static ApprovalRecord? TryDecode(ReadOnlySpan<byte> bytes, out string? error)
    {
        bool ok = CanonicalEncoding.TryDecode(bytes, static (ref CanonicalReader r) =>
        {
            int at = r.Position;
            if (r.ReadUInt8() != (byte)SignatureDomain.JoinApproval)
            {
                throw new EncodingException(at, "not an approval record");
            }

            return new ApprovalRecord(r.ReadString(Limits.MaxChainIdBytes), r.ReadInt64(0, long.MaxValue), Hash256.ReadFrom(ref r), r.ReadInt32(),
                Ed25519PublicKey.ReadFrom(ref r), r.ReadInt64(0, long.MaxValue), r.ReadInt64(0, long.MaxValue));
        }, out ApprovalRecord? record, out EncodingException? bad);
        error = ok ? null : bad!.Message;
        return record;
    }
}
