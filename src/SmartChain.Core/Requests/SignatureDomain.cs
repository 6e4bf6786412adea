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
}
