namespace SmartChain.Load;

/// <summary>
/// Where the slowest requests of a run spent their time, from their <see cref="RequestTrace"/>s: how many were slow,
/// a coarse histogram that shows a mode near a timer (a retransmission at 200 ms, a forward at 1 s), and for each of the
/// slowest what it waited for a stream, how long its block took, and whether its block was slow for everybody in it
/// (a stall on the replicas' side) or it alone was late into its block (lost or overtaken on the way in).
/// </summary>
/// <param name="Requests">Requests traced.</param>
/// <param name="Buckets">Counts per latency bucket: (upper bound in ms, count); the last bound is <see cref="double.PositiveInfinity"/>.</param>
/// <param name="Slowest">The slowest requests, slowest first.</param>
public sealed record LatencyTail(long Requests, IReadOnlyList<(double UpToMs, long Count)> Buckets, IReadOnlyList<SlowRequest> Slowest)
{
    private static readonly double[] Bounds = [10, 20, 50, 100, 150, 200, 300, 400, 500, 750, 1000, 1250, 1500, 2000, 3000, double.PositiveInfinity];

    /// <summary>Requests slower than <paramref name="ms"/> milliseconds.</summary>
    public long Over(double ms)
    {
        long count = 0;
        double lower = 0;
        foreach ((double upTo, long n) in Buckets)
        {
            if (lower >= ms)
            {
                count += n;
            }

            lower = upTo;
        }

        return count;
    }

    /// <summary>The tail of <paramref name="traces"/>, with the <paramref name="slowest"/> slowest requests explained.</summary>
    public static LatencyTail Of(IReadOnlyList<RequestTrace> traces, int slowest)
    {
        ArgumentNullException.ThrowIfNull(traces);
        long[] counts = new long[Bounds.Length];
        var blocks = new Dictionary<long, BlockSpan>();
        foreach (RequestTrace t in traces)
        {
            double ms = t.Latency / 1000.0;
            int b = 0;
            while (ms >= Bounds[b])
            {
                b++;
            }

            counts[b]++;
            blocks[t.Block] = blocks.TryGetValue(t.Block, out BlockSpan span) ? span.With(t) : new BlockSpan(1, t.Sent, t.Sent, t.Done, t.Done);
        }

        SlowRequest[] slow = [.. traces.OrderByDescending(t => t.Latency).Take(slowest).Select(t =>
        {
            BlockSpan block = blocks[t.Block];
            return new SlowRequest(t, block.Count, block.FirstSent, block.LastSent, block.FirstDone, block.LastDone);
        })];
        return new LatencyTail(traces.Count, [.. Bounds.Select((bound, i) => (bound, counts[i]))], slow);
    }

    private readonly record struct BlockSpan(int Count, long FirstSent, long LastSent, long FirstDone, long LastDone)
    {
        public BlockSpan With(RequestTrace t) =>
            new(Count + 1, Math.Min(FirstSent, t.Sent), Math.Max(LastSent, t.Sent), Math.Min(FirstDone, t.Done), Math.Max(LastDone, t.Done));
    }
}

/// <summary>
/// One of the slowest requests and its block as this run saw it (only measured requests count). If
/// <see cref="BlockFirstSent"/> is far earlier than the request's own send, or its block's other requests were sent
/// long after it, the request waited outside the block (lost, refused, or overtaken); if the block's requests were all
/// sent around the same time and the block's first reply came late, the block itself was slow.
/// </summary>
/// <param name="Trace">The request.</param>
/// <param name="BlockRequests">Measured requests in its block.</param>
/// <param name="BlockFirstSent">Earliest send among them (µs since the start).</param>
/// <param name="BlockLastSent">Latest send among them.</param>
/// <param name="BlockFirstDone">Earliest accepted reply among them.</param>
/// <param name="BlockLastDone">Latest accepted reply among them.</param>
public sealed record SlowRequest(RequestTrace Trace, int BlockRequests, long BlockFirstSent, long BlockLastSent, long BlockFirstDone, long BlockLastDone)
{
    /// <summary>Microseconds it waited for a free stream after its slot (open loop; 0 closed loop).</summary>
    public long WaitedForStream => Trace.Sent - Trace.Slot;

    /// <summary>Microseconds from the block's latest send to its first reply: the block's own time in the replicas.</summary>
    public long BlockTime => BlockFirstDone - BlockLastSent;

    /// <summary>
    /// Microseconds from this request's send to the latest send among its block's requests: at least how long it waited
    /// to be ordered (a block holds no request sent after it was proposed).
    /// </summary>
    public long WaitedToBeOrdered => BlockLastSent - Trace.Sent;

    /// <summary>Microseconds from its block's first accepted reply to its own: its reply came late, not its block.</summary>
    public long ReplyLag => Trace.Done - BlockFirstDone;
}
