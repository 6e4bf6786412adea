using System.Diagnostics;

namespace SmartChain.Load;

/// <summary>
/// Open-loop arrivals at a fixed rate: hands out send slots <c>start + k / rate</c>, one per request, to whichever stream
/// asks next. A stream waits for its slot, sends, and counts its latency from the slot, not from when it got round to
/// sending: when the network falls behind, the slots fall behind real time and the queueing shows in the latency
/// (no coordinated omission). Thread-safe.
/// </summary>
public sealed class Pacer
{
    private readonly long _start;
    private readonly double _ticksPerSlot;
    private long _next = -1;

    /// <summary>Slots at <paramref name="perSecond"/> from <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public Pacer(double perSecond, long start)
    {
        if (!(perSecond > 0) || double.IsInfinity(perSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "the rate must be a positive number of requests a second");
        }

        _start = start;
        _ticksPerSlot = Stopwatch.Frequency / perSecond;
    }

    /// <summary>The next free slot, as a <see cref="Stopwatch"/> timestamp; each call gets its own.</summary>
    public long Next() => _start + (long)(Interlocked.Increment(ref _next) * _ticksPerSlot);

    /// <summary>Waits until <paramref name="slot"/>; at once if it has passed.</summary>
    public static async ValueTask WaitForAsync(long slot, CancellationToken cancellationToken)
    {
        long ahead = slot - Stopwatch.GetTimestamp();
        if (ahead > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds((double)ahead / Stopwatch.Frequency), cancellationToken);
        }
    }
}
