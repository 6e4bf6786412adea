namespace SmartChain.ReplicaSimulation;

/// <summary>What a corrupted read while a replica runs hits: a block segment or a snapshot file.</summary>
internal enum SimCorruptTarget
{
    /// <summary>A read of a block store segment (a tip, a range or a FETCH served, a certification answered).</summary>
    Block,

    /// <summary>A read of a snapshot file (a chunk served, a downloaded snapshot read back before it is installed).</summary>
    Snapshot,
}
