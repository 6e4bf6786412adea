using SmartChain.Core.Genesis;

namespace SmartChain.Consensus;

/// <summary>Limits and timers of the consensus core. Sizes come from genesis; the rest are local.</summary>
public sealed record ConsensusOptions
{
    private static readonly long DefaultBufferedBytesPerPeer = 2L * ConsensusParameters.Default.MaxBatchBytes;

    /// <summary>Most requests in a proposal (genesis).</summary>
    public int MaxBatch { get; init; } = ConsensusParameters.Default.MaxBatch;

    /// <summary>Most request bytes in a proposal (genesis).</summary>
    public int MaxBatchBytes { get; init; } = ConsensusParameters.Default.MaxBatchBytes;

    /// <summary>
    /// W (genesis <c>consensus.requestWindow</c>): a request must name a not-before at most W instances back, and a
    /// client's row in the <see cref="Core.Requests.ClientTable"/> expires W instances after its last decision.
    /// </summary>
    public long RequestWindow { get; init; } = ConsensusParameters.Default.RequestWindow;

    /// <summary>Ticks without a decision before the replica resends its votes of the open instance and asks peers for it.</summary>
    public int RetransmitTicks { get; init; } = 20;

    /// <summary>How far ahead of the open instance messages are buffered; later ones are dropped (state transfer territory).</summary>
    public int FutureWindow { get; init; } = 64;

    /// <summary>Most buffered future messages in total.</summary>
    public int MaxBufferedMessages { get; init; } = 4096;

    /// <summary>
    /// Encoded bytes each peer may have in the early-message buffer, and again in the messages held for the next view:
    /// with the count share (1/n of each), what bounds the memory one Byzantine peer can park in the core by sending
    /// maximal messages for instances or a view ahead. A peer with nothing kept may always have one message kept,
    /// whatever its size, so a share smaller than the largest message cannot stall it. 2 × <see cref="MaxBatchBytes"/>
    /// (8 MiB by default): a correct leader's maximal PROPOSE for the next instance and the votes around it fit; more
    /// than that ahead, this replica is lagging and catches up by FETCH or state transfer anyway.
    /// </summary>
    public long BufferedBytesPerPeer { get; init; } = DefaultBufferedBytesPerPeer;

    /// <summary>
    /// Most FETCHes answered per peer and tick (each instance once per tick); the rest are dropped, and the asker asks
    /// again at its next retransmission. Bounds what a few bytes of FETCH can make this replica send or read.
    /// </summary>
    public int FetchAnswersPerTick { get; init; } = 64;

    /// <summary>Recent decisions kept to answer FETCH from a replica that missed them.</summary>
    public int RecentDecisions { get; init; } = 256;

    /// <summary>
    /// Ticks a replica waits for progress while it has work pending before it asks for the next regency (STOP); doubled
    /// after each regency that brought no decision, back to this after one that did.
    /// </summary>
    public int RequestTimeoutTicks { get; init; } = 200;

    /// <summary>Most pending requests.</summary>
    public int PoolCapacity { get; init; } = 100_000;

    /// <summary>Most pending requests per client.</summary>
    public int PoolPerClient { get; init; } = 1024;

    /// <summary>Options for the sizes a genesis sets, defaults elsewhere.</summary>
    public static ConsensusOptions From(ConsensusParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new ConsensusOptions
        {
            MaxBatch = parameters.MaxBatch,
            MaxBatchBytes = parameters.MaxBatchBytes,
            RequestWindow = parameters.RequestWindow,
            RequestTimeoutTicks = Math.Max(2, parameters.RequestTimeoutMs / Math.Max(1, parameters.TickMs)),
            BufferedBytesPerPeer = 2L * parameters.MaxBatchBytes,
        };
    }
}
