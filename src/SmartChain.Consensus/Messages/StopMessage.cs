namespace SmartChain.Consensus.Messages;

/// <summary>STOP: the sender suspects the leader and asks for regency <see cref="ConsensusMessage.Regency"/>.</summary>
public sealed record StopMessage(long ViewId, long Instance, int Regency) : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.Stop;
}
