using SmartChain.Core.Crypto;

namespace SmartChain.Consensus.Messages;

/// <summary>WRITE(i, r, H(batch)): unsigned, authenticated by the link.</summary>
public sealed record Write(long ViewId, long Instance, int Regency, Hash256 BatchHash, ReadOnlyMemory<byte> Signature) : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.Write;
}
