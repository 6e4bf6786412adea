namespace SmartChain.Network;

/// <summary>What a frame carries.</summary>
public enum FrameType : byte
{
    /// <summary>A consensus message between replicas.</summary>
    Consensus = 1,

    /// <summary>A signed client request.</summary>
    Request = 2,

    /// <summary>A replica's reply to a client.</summary>
    Reply = 3,

    /// <summary>A client's read-only query of the replicated state.</summary>
    Query = 4,

    /// <summary>A replica's answer to a query.</summary>
    QueryResult = 5,

    /// <summary>A replica's signature of a block header, exchanged to build certificates.</summary>
    BlockSignature = 6,

    /// <summary>State transfer between replicas: tips, block ranges, snapshot chunks.</summary>
    StateTransfer = 7,

    /// <summary>A request for a block's certificate, or a replica's stored certificate of a block sent in answer.</summary>
    BlockCertificate = 8,
}
