namespace SmartChain.Node.Transfer;

/// <summary>
/// The Byzantine state-transfer source a test can make of a replica (<see cref="ReplicaOptions"/>): it keeps ordering
/// honestly but serves state transfer wrongly. Never set outside tests.
/// </summary>
internal enum TransferFault
{
    /// <summary>Serves honestly.</summary>
    None,

    /// <summary>Claims a tip far beyond the real one (its certificate cannot match).</summary>
    FarTip,

    /// <summary>Serves snapshot bytes that differ from the certified hash.</summary>
    BadSnapshot,

    /// <summary>Serves blocks whose results no longer match their certified headers.</summary>
    BadBlocks,

    /// <summary>Serves blocks with forged certificates.</summary>
    ForgedCertificates,

    /// <summary>Answers tip requests, then nothing: a source that stalls a transfer.</summary>
    Silent,

    /// <summary>Answers, then repeats the answer a hundred times.</summary>
    Flood,

    /// <summary>Serves certified blocks with their decision proofs removed (the proof is outside every hash).</summary>
    EmptyProofs,

    /// <summary>Serves certified blocks whose decision proofs are bytes that do not decode.</summary>
    MalformedProofs,

    /// <summary>Serves certified blocks whose decision proofs claim a far-future regency with votes that do not sign it.</summary>
    ForgedProofs,

    /// <summary>
    /// Serves honestly but slowly around checkpoints: a range ends before the next checkpoint block, and a range that
    /// starts with one is answered 300 ms late (so the receiver executes up to the checkpoint before its certificate comes).
    /// </summary>
    SlowCheckpoints,

    /// <summary>
    /// Serves checkpoint blocks whose consensus id names another instance (the id is outside every hash, and a checkpoint
    /// block has no decision proof to bind it), so the certificate still verifies.
    /// </summary>
    CheckpointInstances,
}
