namespace SmartChain.Core.Requests;

/// <summary>
/// First byte of every signed structure. Each kind of signed data starts with its own tag, so a signature made
/// for one purpose (a client request) can never be replayed as another (an ACCEPT, a block header).
/// </summary>
public enum SignatureDomain : byte
{
    /// <summary>A client's request (transaction).</summary>
    ClientRequest = 0x01,

    /// <summary>A replica's ACCEPT vote in consensus.</summary>
    ConsensusAccept = 0x02,

    /// <summary>A replica's signature over a block header.</summary>
    BlockHeader = 0x03,

    /// <summary>A replica's WRITE vote in consensus (Q of them make a write certificate, which leader change relies on).</summary>
    ConsensusWrite = 0x04,

    /// <summary>A replica's STOPDATA in leader change.</summary>
    ConsensusStopData = 0x05,

    /// <summary>A replica's vote approving a node's JOIN (the approval record; Q of them make a join certificate).</summary>
    JoinApproval = 0x06,

    /// <summary>A member's endorsement of a node that wants to join (an application's join policy may ask for one).</summary>
    JoinEndorsement = 0x07,
}
