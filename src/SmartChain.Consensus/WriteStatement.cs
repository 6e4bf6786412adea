using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// The bytes a WRITE signature covers: <c>u8 0x04 (ConsensusWrite) · chain id · i64 view · i64 instance · i32 regency ·
/// 32 B batch hash</c>. Signed WRITEs let Q of them form a write certificate that no replica can forge, which the
/// leader change needs to tell which batch may have been decided.
/// </summary>
public static class WriteStatement
{
    /// <summary>The canonical statement.</summary>
    public static byte[] Encode(string chainId, long viewId, long instance, int regency, Hash256 batchHash) =>
        AcceptStatement.Encode(SignatureDomain.ConsensusWrite, chainId, viewId, instance, regency, batchHash);

    /// <summary>True if <paramref name="signature"/> is <paramref name="signer"/>'s WRITE of this batch.</summary>
    public static bool Verify(Ed25519PublicKey signer, ReadOnlySpan<byte> signature, string chainId, long viewId, long instance,
        int regency, Hash256 batchHash) =>
        Ed25519.Verify(signer, Encode(chainId, viewId, instance, regency, batchHash), signature);
}
