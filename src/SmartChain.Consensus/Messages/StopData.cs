using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Messages;

/// <summary>
/// STOPDATA, sent to the leader of the new regency: the sender's open instance (<see cref="ConsensusMessage.Instance"/>),
/// the decision before it (so laggards can catch up), and its write certificate for the open instance if it has one.
/// Signed by the sender over <see cref="Statement"/>, so the leader can relay it in SYNC and nobody can alter it.
/// </summary>
public sealed record StopData(long ViewId, long Instance, int Regency, DecisionMessage? LastDecision, WriteCertificate? Certificate,
    ReadOnlyMemory<byte> Signature) : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.StopData;

    /// <summary>
    /// What the signature covers: <c>u8 0x05 · chain id · i64 view · i64 instance · i32 regency · i32 certificate
    /// regency (-1: none) · 32 B certificate hash</c>. The decision and the certificate prove themselves.
    /// </summary>
    public static byte[] Statement(string chainId, long viewId, long instance, int regency, WriteCertificate? certificate)
    {
        byte[] bytes = new byte[1 + 4 + System.Text.Encoding.UTF8.GetByteCount(chainId) + 8 + 8 + 4 + 4 + Hash256.Size];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        writer.WriteUInt8((byte)SignatureDomain.ConsensusStopData);
        writer.WriteString(chainId, Core.Limits.MaxChainIdBytes);
        writer.WriteInt64(viewId);
        writer.WriteInt64(instance);
        writer.WriteInt32(regency);
        writer.WriteInt32(certificate?.Regency ?? -1);
        (certificate?.BatchHash ?? Hash256.Zero).WriteTo(ref writer);
        return bytes;
    }
}
