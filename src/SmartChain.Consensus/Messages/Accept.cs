using SmartChain.Core.Crypto;

namespace SmartChain.Consensus.Messages;

/// <summary>
/// ACCEPT(i, r, H(batch)), signed over <see cref="AcceptStatement"/>; Q of them, from distinct members, prove a
/// decision to anyone holding the view.
/// </summary>
public sealed record Accept(long ViewId, long Instance, int Regency, Hash256 BatchHash, ReadOnlyMemory<byte> Signature)
    : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.Accept;
}
