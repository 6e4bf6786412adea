using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Node;

/// <summary>
/// A replica's signature of one block header: <c>i64 block · 32 B header hash · 64 B signature · u8 wants</c>. The
/// signer is the authenticated sender of the frame. <see cref="Wants"/> asks the receiver to answer with its own
/// signature of that block, which is how a restarted replica re-certifies a tail whose signatures were lost; answers
/// never set it, so two replicas cannot keep answering each other.
/// </summary>
internal sealed record BlockSignatureMessage(long Block, Hash256 HeaderHash, ReadOnlyMemory<byte> Signature, bool Wants)
{
    public const int Size = 8 + Hash256.Size + Ed25519.SignatureSize + 1;

    public byte[] Encode()
    {
        byte[] bytes = new byte[Size];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteInt64(Block);
        HeaderHash.WriteTo(ref writer);
        writer.WriteFixed(Signature.Span);
        writer.WriteBool(Wants);
        return bytes;
    }

    /// <exception cref="EncodingException">Not a block signature message.</exception>
    public static BlockSignatureMessage Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
        new BlockSignatureMessage(r.ReadInt64(1, long.MaxValue), Hash256.ReadFrom(ref r), r.ReadFixed(Ed25519.SignatureSize).ToArray(), r.ReadBool()));
}
