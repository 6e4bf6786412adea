namespace SmartChain.Node.Transfer;

/// <summary>Tuning of state transfer; the defaults suit a LAN consortium.</summary>
internal sealed record TransferOptions
{
    /// <summary>A source that answers nothing for this long is dropped.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for tips from Q − 1 peers before going on with those that answered.</summary>
    public TimeSpan TipWait { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A peer that has not answered a tip request within this is asked again (same request), until <see cref="TipWait"/>.
    /// A request or answer lost on a link that broke (the peer restarted, a partition) then costs this, not the whole
    /// TipWait, during which the replica may not be ordering. 250 ms is many round trips on a LAN, and a peer asked
    /// again every 250 ms for 3 s makes at most 12 requests, far inside its serving budget (500 a second).
    /// </summary>
    public TimeSpan TipAskAgain { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Once Q − 1 peers answered, how much longer the others get (a slow peer may know a higher tip).</summary>
    public TimeSpan TipGrace { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A replica this close to the tip catches up through ordinary FETCH instead.</summary>
    public long CatchUpThreshold { get; init; } = 32;

    /// <summary>Blocks per requested range.</summary>
    public int RangeBlocks { get; init; } = 128;

    /// <summary>Ranges in flight at once (each from a different source).</summary>
    public int ParallelRanges { get; init; } = 3;

    /// <summary>Blocks received but not yet durable, at most (bounds memory).</summary>
    public int MaxUnappliedBlocks { get; init; } = 1024;

    /// <summary>Rounds (tip, transfer) before giving the rest to FETCH; the tip moves while a replica transfers.</summary>
    public int MaxRounds { get; init; } = 8;

    /// <summary>Unrequested answers a source may send before it is dropped.</summary>
    public int MaxUnsolicited { get; init; } = 64;

    /// <summary>Serving: a peer's requests being answered at once, at most; more are refused.</summary>
    public int MaxServingPerPeer { get; init; } = 4;

    /// <summary>Serving: bytes of answers being built for all peers at once, at most (each reserves its largest size).</summary>
    public long MaxServingBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Serving: requests a peer may make per second (with one second of burst); more are refused.</summary>
    public int ServeRequestsPerSecond { get; init; } = 500;

    /// <summary>Defaults.</summary>
    public static TransferOptions Default { get; } = new();
}
