namespace SmartChain.Core.Genesis;

/// <summary>
/// Ordering parameters every replica must agree on, from genesis. Timeouts are in milliseconds here; the pure
/// consensus core receives them as a number of ticks of <see cref="TickMs"/>.
/// </summary>
public sealed record ConsensusParameters
{
    /// <summary>Most requests in one proposed batch.</summary>
    public int MaxBatch { get; init; } = 1024;

    /// <summary>Most bytes of requests in one proposed batch.</summary>
    public int MaxBatchBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest encoded client request a replica accepts.</summary>
    public int MaxRequestBytes { get; init; } = 16 * 1024;

    /// <summary>Length of one consensus tick.</summary>
    public int TickMs { get; init; } = 10;

    /// <summary>
    /// Base timeout of a pending request before it is forwarded (first expiry) and leader change starts (second).
    /// 2 s is BFT-SMaRt's default.
    /// </summary>
    public int RequestTimeoutMs { get; init; } = 2000;

    /// <summary>
    /// W, in instances: a request naming not-before <c>b</c> may be ordered only in instances <c>b + 1</c> to <c>b + W</c>,
    /// and a client's replay-protection row is forgotten W instances after its last decided request. Bounds the
    /// replicated client table to the keys with a request decided in the last W instances (at most W × maxBatch).
    /// 10,000 instances is minutes of a busy network (instances come at most every few milliseconds) and ≤ 10 Mi rows.
    /// </summary>
    public long RequestWindow { get; init; } = 10_000;

    /// <summary>The defaults written by <c>smartchain testnet init</c>.</summary>
    public static ConsensusParameters Default { get; } = new();
}
