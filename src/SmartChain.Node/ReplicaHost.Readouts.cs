namespace SmartChain.Node;

/// <summary>What callers and tests read and await of a running replica (heights, view, status), apart from the composition root.</summary>
public sealed partial class ReplicaHost
{
    /// <summary>The managed id of the one thread that runs the consensus core (-1 when the platform supplies its context).</summary>
    public int ConsensusThreadId => _driver.ThreadId;

    /// <summary>One line: consensus state, execution progress, links.</summary>
    public string Status => Readout.Line;

    /// <summary>Highest block whose certificate is durable here.</summary>
    public long LastCertified => _ledgerPipeline.Status.LastCertified;

    /// <summary>Highest block durable here.</summary>
    public long CommittedHeight => _ledgerPipeline.Status.CommittedHeight;

    /// <summary>Completes once block <paramref name="block"/> and every block before it are durable and certified here.</summary>
    public Task WaitForCertifiedAsync(long block, CancellationToken cancellationToken) =>
        _ledgerPipeline.WaitForAsync(static s => s.CertifiedPrefix, block, cancellationToken);

    /// <summary>Completes once this replica was removed from the view (it left or was excluded) and erased its keys.</summary>
    public Task Removed => _reconfigurations.Removed;

    /// <summary>The view in force after the last block executed here.</summary>
    public Core.Views.View CurrentView => _executor.Status.View;

    /// <summary>Highest block such that it and every block before it are certified and durable here.</summary>
    internal long CertifiedPrefix => _ledgerPipeline.Status.CertifiedPrefix;

    /// <summary>Requests this replica will answer once executed (bounded by <see cref="ClientBudget.MaxPendingReplies"/>).</summary>
    internal int PendingReplies => _gateway.Replies.Count;

    /// <summary>Raised once a client's request is in the pool and its reply awaited here (tests await it).</summary>
    internal event Action<Core.Crypto.Hash256>? ClientRequestTracked { add => _gateway.Replies.Tracked += value; remove => _gateway.Replies.Tracked -= value; }

    /// <summary>Raised once a client session has closed and its waiting requests are forgotten (tests await it).</summary>
    internal event Action? ClientSessionClosed { add => _gateway.SessionClosed += value; remove => _gateway.SessionClosed -= value; }

    /// <summary>Completes when the transfer a replica runs at start has finished (with nothing to do, often).</summary>
    internal Task<Transfer.TransferResult> FirstTransfer => _transferCoordinator.FirstTransfer;
}
