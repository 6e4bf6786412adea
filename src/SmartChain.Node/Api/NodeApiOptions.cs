namespace SmartChain.Node.Api;

/// <summary>Bounds of the API adapter's memory: how much of the recent chain it indexes for lookups by id or hash.</summary>
public sealed record NodeApiOptions
{
    /// <summary>Transactions indexed by id (about 100 B each), the most recent kept.</summary>
    public int MaxIndexedTransactions { get; init; } = 1 << 19;

    /// <summary>Blocks indexed by hash, the most recent kept.</summary>
    public int MaxIndexedBlocks { get; init; } = 1 << 19;

    /// <summary>Blocks before the head indexed when the API starts (older blocks are read by number only).</summary>
    public int IndexBlocksAtStart { get; init; } = 4096;

    /// <summary>Block feeds (server-sent-event streams) open at once.</summary>
    public int MaxFeeds { get; init; } = 64;

    /// <summary>
    /// How long an API submission waits for the replica's answer before it is given up (still pending): as long as the
    /// replica itself remembers whom to answer (ClientBudget.PendingReplyLifetime).
    /// </summary>
    public TimeSpan SubmitAnswerLifetime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The defaults.</summary>
    public static NodeApiOptions Default { get; } = new();
}
