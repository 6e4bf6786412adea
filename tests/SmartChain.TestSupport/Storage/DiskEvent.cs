namespace SmartChain.TestSupport.Storage;

/// <summary>What <see cref="FaultCounts"/> counts: the simulated disk's faults, and what the storage simulation did about them.</summary>
public enum DiskEvent
{
    PowerCuts,
    ProcessCrashes,
    TornWrites,
    ZeroFilledTails,
    UnsyncedBytesLost,
    FailedSyncs,
    Syncs,
    CorruptReads,

    /// <summary>Corrupted reads that recovery refused with a report naming the block or file.</summary>
    CorruptionsReported,

    /// <summary>Corrupted reads of a snapshot file, which recovery logged and did not use.</summary>
    CorruptSnapshotsSkipped,

    /// <summary>Restarts, each a full run of the real recovery.</summary>
    Recoveries,

    BlocksCommitted,
}
