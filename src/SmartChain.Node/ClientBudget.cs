using SmartChain.Network;

namespace SmartChain.Node;

/// <summary>
/// What a replica spends on clients, at most (docs/network.md, "Budgets"): sessions in total and per source address,
/// request bytes queued for the consensus loop, reply bytes queued per session, and clients waiting for replies.
/// Above each bound the new thing is refused with a reason (a closed link with a log line, or a Rejected reply);
/// nothing already admitted is lost.
/// </summary>
public sealed record ClientBudget
{
    /// <summary>The replica's side of client links: frame size, idle time, time per frame, handshakes.</summary>
    public LinkOptions Link { get; init; } = LinkOptions.ClientPort;

    /// <summary>Client sessions open at once; the next one is closed at once with a log line.</summary>
    public int MaxSessions { get; init; } = 256;

    /// <summary>Client sessions open at once from one source address.</summary>
    public int MaxSessionsPerSource { get; init; } = 64;

    /// <summary>Verified requests waiting for the consensus loop, by count.</summary>
    public int MaxQueuedRequests { get; init; } = 8_192;

    /// <summary>Verified requests waiting for the consensus loop, by bytes; above either bound a request gets "busy".</summary>
    public long MaxQueuedRequestBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Client requests the consensus loop takes between two looks at replica traffic and ticks.</summary>
    public int RequestsPerTurn { get; init; } = 64;

    /// <summary>
    /// Replies and query results queued towards one session, by bytes; above it a new one is dropped and counted (one
    /// always fits, whatever its size: the largest reply is about 330 KiB). Large enough for a client's whole
    /// pipeline (<see cref="MaxPendingRepliesPerSession"/> replies of a few KiB, released by one block at once).
    /// </summary>
    public int MaxSessionQueueBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Replies and query results queued towards all sessions together, by bytes; above it a new one is dropped.</summary>
    public long MaxQueuedReplyBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Requests waiting for their reply, over all sessions; above it a new request gets "busy".</summary>
    public int MaxPendingReplies { get; init; } = 65_536;

    /// <summary>Requests waiting for their reply on one session.</summary>
    public int MaxPendingRepliesPerSession { get; init; } = 1_024;

    /// <summary>
    /// How long a replica remembers whom to answer for a request it has not executed: a request dropped from the pool
    /// (superseded by another one with its sequence, or cleared when this replica left the view) is forgotten then.
    /// A client that still waits asks again and is answered from the reply cache.
    /// </summary>
    public TimeSpan PendingReplyLifetime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The budget as documented.</summary>
    public static ClientBudget Default { get; } = new();
}
