namespace SmartChain.ReplicaSimulation;

/// <summary>What <see cref="SimSnapshotReport"/> counts.</summary>
internal enum SnapshotEvent
{
    /// <summary>Snapshots downloaded, checked against their certified checkpoint block and installed by state transfer.</summary>
    SnapshotTransfers,

    /// <summary>Corrupted reads armed on a running replica.</summary>
    Armed,

    /// <summary>Of those, a read of a block segment that returned a flipped bit (and was reported).</summary>
    BlockReads,

    /// <summary>Of those, a read of a snapshot file that returned a flipped bit (and was reported).</summary>
    SnapshotReads,

    /// <summary>Reported by the replica whose read it was, naming the file or the block.</summary>
    ReportedByReader,

    /// <summary>A corrupted snapshot chunk served: reported by the replica that received it (the certified hash did not match).</summary>
    ReportedByReceiver,

    /// <summary>A corrupted snapshot chunk served, but lost before it reached the replica that asked: nobody saw it.</summary>
    LostInFlight,

    /// <summary>Armed, but the replica read no such file in the window.</summary>
    Unread,
}
