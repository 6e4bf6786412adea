namespace SmartChain.Consensus.Messages;

/// <summary>
/// Base of every message between replicas. The sender is not part of the message: it comes from the authenticated
/// link it arrived on. <see cref="ViewId"/>, <see cref="Instance"/> (consensus id) and <see cref="Regency"/> place it.
/// </summary>
public abstract record ConsensusMessage(long ViewId, long Instance, int Regency)
{
    /// <summary>The message type byte on the wire.</summary>
    public abstract MessageType Type { get; }
}
