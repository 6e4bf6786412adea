namespace SmartChain.Consensus.Messages;

/// <summary>Asks a peer for the decision of <see cref="ConsensusMessage.Instance"/>.</summary>
public sealed record Fetch(long ViewId, long Instance, int Regency) : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.Fetch;
}
