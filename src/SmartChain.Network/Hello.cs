using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Network;

/// <summary>
/// First handshake message, in the clear: <c>u32 magic "SCL1" · u8 version · chain id · i32 sender id · 32 B identity
/// key · 32 B ephemeral X25519 key</c>. Both hellos enter the transcript that both sides sign.
/// </summary>
internal sealed record Hello(string ChainId, int SenderId, Ed25519PublicKey Identity, byte[] Ephemeral)
{
    public const uint Magic = 0x314C4353; // "SCL1" little-endian
    public const byte Version = 1;
    public const int X25519KeySize = 32;

    public byte[] Encode()
    {
        byte[] bytes = new byte[4 + 1 + 4 + System.Text.Encoding.UTF8.GetByteCount(ChainId) + 4 + Ed25519PublicKey.Size + X25519KeySize];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt32(Magic);
        writer.WriteUInt8(Version);
        writer.WriteString(ChainId, Limits.MaxChainIdBytes);
        writer.WriteInt32(SenderId);
        Identity.WriteTo(ref writer);
        writer.WriteFixed(Ephemeral);
        return bytes;
    }

    /// <exception cref="EncodingException">Not a hello of this protocol version.</exception>
    public static Hello Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
    {
        if (r.ReadUInt32() != Magic)
        {
            throw new EncodingException(0, "not a SmartChain link (bad magic)");
        }

        byte version = r.ReadUInt8();
        if (version != Version)
        {
            throw new EncodingException(4, $"link protocol version {version}; this build speaks {Version}");
        }

        string chainId = r.ReadString(Limits.MaxChainIdBytes);
        int sender = r.ReadInt32();
        Ed25519PublicKey identity = Ed25519PublicKey.ReadFrom(ref r);
        return new Hello(chainId, sender, identity, r.ReadFixed(X25519KeySize).ToArray());
    });
}
