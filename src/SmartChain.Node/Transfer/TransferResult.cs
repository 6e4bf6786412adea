namespace SmartChain.Node.Transfer;

/// <summary>What one state transfer did.</summary>
/// <param name="Blocks">Blocks received, verified and applied.</param>
/// <param name="BlockBytes">Their encoded size.</param>
/// <param name="SnapshotBytes">Snapshot bytes downloaded (0 if no snapshot was needed).</param>
/// <param name="Checkpoint">The block whose snapshot was installed (a checkpoint block), if any.</param>
/// <param name="Head">The head after the transfer.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Summary">One line for the log.</param>
internal sealed record TransferResult(long Blocks, long BlockBytes, long SnapshotBytes, long? Checkpoint, long Head, TimeSpan Elapsed, string Summary)
{
    /// <summary>No peer answered with a tip that verified: nothing is known about how far behind this replica is.</summary>
    public bool NoVerifiableTip { get; init; }
}
