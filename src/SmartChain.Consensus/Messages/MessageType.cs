namespace SmartChain.Consensus.Messages;

/// <summary>Wire type of a consensus message.</summary>
public enum MessageType : byte
{
    /// <summary>Leader's proposal of a batch.</summary>
    Propose = 1,

    /// <summary>First vote: the replica saw a valid proposal with this hash.</summary>
    Write = 2,

    /// <summary>Second, signed vote: the replica saw Q matching WRITEs.</summary>
    Accept = 3,

    /// <summary>A decided batch with its proof, sent to a replica that asked for it.</summary>
    Decision = 4,

    /// <summary>Request for the decision of an instance.</summary>
    Fetch = 5,

    /// <summary>Asks to move to the regency in the message (leader change).</summary>
    Stop = 6,

    /// <summary>A replica's signed state for the new leader: last decided instance, its write certificate if any.</summary>
    StopData = 7,

    /// <summary>The new leader's choice for the open instance, with the STOPDATAs it follows from.</summary>
    Sync = 8,

    /// <summary>Pending requests passed on to every replica on the first timer expiry.</summary>
    Forward = 9,
}
