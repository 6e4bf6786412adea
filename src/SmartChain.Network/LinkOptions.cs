namespace SmartChain.Network;

/// <summary>Limits and timeouts of a link (docs/network.md, "Budgets").</summary>
public sealed record LinkOptions
{
    private readonly int? _maxReceivedFrameBytes;

    /// <summary>
    /// Largest frame payload sent, and received unless <see cref="MaxReceivedFrameBytes"/> says otherwise. The default
    /// holds the largest batch a genesis allows plus room for a decision proof.
    /// </summary>
    public int MaxFrameBytes { get; init; } = Core.Limits.MaxBatchBytes + (1024 * 1024);

    /// <summary>
    /// Largest frame payload accepted from the peer. A frame announcing more ends the link as soon as its 4-byte length
    /// is read, before any buffer is allocated or filled for it.
    /// </summary>
    public int MaxReceivedFrameBytes
    {
        get => _maxReceivedFrameBytes ?? MaxFrameBytes;
        init => _maxReceivedFrameBytes = value;
    }

    /// <summary>Time allowed for the whole handshake.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Most handshakes in progress on one listener; a new connection above it evicts the oldest handshake.</summary>
    public int MaxHandshakes { get; init; } = 64;

    /// <summary>Most handshakes in progress from one source address; a new one above it evicts that source's oldest.</summary>
    public int MaxHandshakesPerSource { get; init; } = 8;

    /// <summary>
    /// Longest wait for the first byte of the next frame; <see cref="Timeout.InfiniteTimeSpan"/> for none. Replica links
    /// have none (a quiet peer is normal); client links have one, so an idle connection does not hold a session.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Time allowed for a frame, from its first byte to its last: a peer that trickles a frame (slowloris) is cut
    /// off. The replica default lets the largest frame through at about 1 MB/s.
    /// </summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Defaults (replica links, and the client's side of client links).</summary>
    public static LinkOptions Default { get; } = new();

    /// <summary>
    /// The replica's side of client links: a client sends requests and queries only, so a frame may be at most the
    /// largest request (64 KiB plus framing) instead of the batch size; idle links close after 60 s and a frame must
    /// arrive within 10 s (6.5 KB/s for the largest). Replies the replica sends keep the default limit.
    /// </summary>
    public static LinkOptions ClientPort { get; } = new()
    {
        MaxReceivedFrameBytes = Core.Limits.MaxClientFrameBytes,
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        IdleTimeout = TimeSpan.FromSeconds(60),
        FrameTimeout = TimeSpan.FromSeconds(10),
    };
}
