namespace SmartChain.ReplicaSimulation;

/// <summary>How replicas answered their disks' faults, as <see cref="SimDiskReport"/> counts it.</summary>
internal enum DiskResponse
{
    /// <summary>Replicas that halted after an fsync failed (then power cut and restarted).</summary>
    HaltsOnFailedSync,

    /// <summary>Failed-fsync windows in which the replica went on (the failure hit nothing it had to stop for, or was retried).</summary>
    FailedSyncsSurvived,

    /// <summary>Restarts refused because a corrupted read was found; the replica was wiped and rebuilt by state transfer.</summary>
    CorruptRefused,

    /// <summary>Restarts that read a corrupted byte, logged it and did not use it (a skipped snapshot).</summary>
    CorruptLogged,

    /// <summary>Corruptions armed that no read at restart covered (disarmed once the replica ran).</summary>
    CorruptUnread,
}
