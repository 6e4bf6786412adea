using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// The bytes an ACCEPT signature covers: <c>u8 0x02 (ConsensusAccept) · chain id · i64 view · i64 instance ·
/// i32 regency · 32 B batch hash</c>. The domain tag and chain id keep the signature from being valid anywhere else.
/// </summary>
public static class AcceptStatement
{
    /// <summary>The statement's canonical bytes.</summary>
    public static byte[] Encode(string chainId, long viewId, long instance, int regency, Hash256 batchHash) =>
        Encode(SignatureDomain.ConsensusAccept, chainId, viewId, instance, regency, batchHash);

    /// <summary>The same statement under another domain tag (WRITE votes use <see cref="SignatureDomain.ConsensusWrite"/>).</summary>
    internal static byte[] Encode(SignatureDomain domain, string chainId, long viewId, long instance, int regency, Hash256 batchHash)
    {
        byte[] bytes = new byte[1 + 4 + System.Text.Encoding.UTF8.GetByteCount(chainId) + 8 + 8 + 4 + Hash256.Size];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt8((byte)domain);
        writer.WriteString(chainId, Limits.MaxChainIdBytes);
        writer.WriteInt64(viewId);
        writer.WriteInt64(instance);
        writer.WriteInt32(regency);
        batchHash.WriteTo(ref writer);
        return bytes;
    }

    /// <summary>True if <paramref name="signature"/> is <paramref name="signer"/>'s ACCEPT for these values.</summary>
    public static bool Verify(Ed25519PublicKey signer, ReadOnlySpan<byte> signature, string chainId, long viewId, long instance,
        int regency, Hash256 batchHash) =>
        Ed25519.Verify(signer, Encode(chainId, viewId, instance, regency, batchHash), signature);
}
