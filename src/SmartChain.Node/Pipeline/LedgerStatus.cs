namespace SmartChain.Node.Pipeline;

/// <summary>
/// What the ledger pipeline has made durable, published as one immutable value after every group commit: other threads
/// (status line, metrics, API, state transfer, vote-log compaction) read it without locks and never see one height
/// moved and another not yet. <see cref="Next"/> completes when the following status is published.
/// </summary>
internal sealed class LedgerStatus(long committedHeight, long lastCertified, long certifiedPrefix, long durableConsensusId, long fsyncs, long blocksCommitted)
{
    private readonly TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Highest block durable here.</summary>
    public long CommittedHeight { get; } = committedHeight;

    /// <summary>Highest block whose certificate is durable here.</summary>
    public long LastCertified { get; } = lastCertified;

    /// <summary>Highest block such that it and every block before it are certified and durable here.</summary>
    public long CertifiedPrefix { get; } = certifiedPrefix;

    /// <summary>Consensus instance of the highest durable block (votes at or below it are no longer needed).</summary>
    public long DurableConsensusId { get; } = durableConsensusId;

    /// <summary>Group commits (fsyncs of the block store) so far.</summary>
    public long Fsyncs { get; } = fsyncs;

    /// <summary>Blocks those commits made durable.</summary>
    public long BlocksCommitted { get; } = blocksCommitted;

    /// <summary>Completes once a newer status is published (at the next commit).</summary>
    public Task Next => _next.Task;

    /// <summary>Called by the pipeline once it published the status after this one.</summary>
    internal void Superseded() => _next.TrySetResult();
}
