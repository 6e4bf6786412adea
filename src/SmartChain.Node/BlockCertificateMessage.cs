using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Ledger;

namespace SmartChain.Node;

/// <summary>
/// A block's certificate between replicas: <c>i64 block · 32 B header hash · u8 has-certificate · [certificate]</c>.
/// Without a certificate it asks the receiver for its certificate of that block (the sender's header is
/// <see cref="HeaderHash"/>); with one, it is the receiver's stored certificate, sent in answer. A replica that holds a
/// block of a view the others have left can be certified by nothing else once fewer than Q of that view's signers can
/// still sign (they erased that view's keys, or left): the asker verifies the certificate itself against its own header
/// and the view that certifies the block. Answers never ask, so two replicas cannot keep answering each other.
/// </summary>
internal sealed record BlockCertificateMessage(long Block, Hash256 HeaderHash, BlockCertificate? Certificate)
{
    /// <summary>True if this asks for the receiver's certificate rather than carrying one.</summary>
    public bool Asks => Certificate is null;

    public byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, BlockCertificateMessage m) =>
    {
        w.WriteInt64(m.Block);
        m.HeaderHash.WriteTo(ref w);
        w.WriteBool(m.Certificate is not null);
        m.Certificate?.WriteTo(ref w);
    });

    /// <exception cref="EncodingException">Not a block certificate message (a bounded certificate at most).</exception>
    public static BlockCertificateMessage Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
        new BlockCertificateMessage(r.ReadInt64(1, long.MaxValue), Hash256.ReadFrom(ref r), r.ReadBool() ? BlockCertificate.ReadFrom(ref r) : null));
}
