using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Messages;

/// <summary>
/// SYNC, from the leader of a new regency: the Q signed STOPDATAs it collected (with their senders) and the batch it
/// chose for the open instance. Empty when no STOPDATA held a write certificate for it: then no batch can have been
/// decided there, and the leader proposes as usual. Every replica re-derives the choice and refuses a SYNC that
/// does not follow from the STOPDATAs.
/// </summary>
public sealed record Sync(long ViewId, long Instance, int Regency, IReadOnlyList<(int From, StopData Data)> StopDatas, IReadOnlyList<SignedRequest> Batch)
    : ConsensusMessage(ViewId, Instance, Regency)
{
    /// <inheritdoc />
    public override MessageType Type => MessageType.Sync;
}
