namespace SmartChain.Node;

/// <summary>
/// Per-replica options that are not part of the network's genesis. Everything but the defaults exists to reproduce
/// the naive baselines of the paper's Table I in benchmarks. How the application executes is the application's own
/// business: the composition passes it to <see cref="ReplicaHost.Start"/> as an application factory.
/// </summary>
public sealed record ReplicaOptions
{
    /// <summary>The blockchain layer, or one of the baselines that replace it.</summary>
    public LedgerMode Ledger { get; init; } = LedgerMode.Blockchain;

    /// <summary>
    /// Snapshot files kept (the newest ones, at least 2); older ones are deleted. Three by default: execution runs ahead of
    /// certification, so the newest file is often one whose recording checkpoint block peers have not certified yet.
    /// The ledger itself is never pruned.
    /// </summary>
    public int SnapshotRetention { get; init; } = 3;

    /// <summary>What this replica spends on clients at most (sessions, queued bytes, waiting replies, link timeouts).</summary>
    public ClientBudget Clients { get; init; } = ClientBudget.Default;

    /// <summary>
    /// Test double for the state-transfer tests: this replica serves state transfer as a Byzantine source would.
    /// Never set outside tests.
    /// </summary>
    internal Transfer.TransferFault TransferFault { get; init; }

    /// <summary>
    /// Test double for the Byzantine replica process (tests/SmartChain.ByzantineReplica): every frame this replica sends
    /// to a peer passes through it. Never set outside tests.
    /// </summary>
    internal Network.IOutboundFrameFilter? OutboundFilter { get; init; }

    /// <summary>Size past which the vote log is compacted (tests make it small so compaction runs on every append).</summary>
    internal long VoteLogCompactBytes { get; init; } = VoteLog.DefaultCompactBytes;

    /// <summary>State-transfer tuning (tests shorten its timeouts).</summary>
    internal Transfer.TransferOptions Transfer { get; init; } = Node.Transfer.TransferOptions.Default;

    /// <summary>The clock, scheduling, randomness and links the replica runs on: the real machine unless a simulator passes its own.</summary>
    public ReplicaPlatform Platform { get; init; } = ReplicaPlatform.Default;

    /// <summary>SmartChain as specified.</summary>
    public static ReplicaOptions Default { get; } = new();
}
