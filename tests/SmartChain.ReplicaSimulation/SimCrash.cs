namespace SmartChain.ReplicaSimulation;

/// <summary>How one crash-restart of the whole-replica simulation happens to the replica and its disk.</summary>
internal enum SimCrash
{
    /// <summary>A clean stop: every loop ends, the files close; then a restart.</summary>
    Clean,

    /// <summary>
    /// The process dies: its context is dropped with whatever it had queued, its file handles die, the page cache
    /// (everything written, synced or not) survives.
    /// </summary>
    Abrupt,

    /// <summary>The power goes: unsynced data is lost or torn, names fall back to the last fsync of their folder.</summary>
    PowerCut,

    /// <summary>
    /// An fsync fails (EIO); the replica must not acknowledge what it did not make durable, and may halt. The window ends
    /// with a power cut, so anything it did acknowledge after the failure would be lost and caught.
    /// </summary>
    FailedSync,

    /// <summary>
    /// The process dies and, at restart, one read of a committed byte of its block store, vote log or snapshot returns a
    /// flipped bit: the replica must report it (refuse to start, or log and not use it), never use it silently.
    /// </summary>
    CorruptRead,
}
