namespace SmartChain.Load;

/// <summary>
/// How fast a load reached its steady throughput: the steady rate is the one over the second half of the timeline, and
/// the load has reached a fraction of it at the end of the first window (half a second by default) whose rate is at
/// least that fraction. A JIT that is still compiling, or replicas still connecting, shows as a late time here.
/// </summary>
/// <param name="SteadyTxPerSecond">Accepted transactions per second over the second half of the timeline.</param>
/// <param name="Fraction">The fraction of the steady rate asked for (0.8: 80%).</param>
/// <param name="ReachedAt">
/// Time from the streams' start to the end of the first window at that fraction, or null if none was (or nothing was accepted).
/// </param>
/// <param name="FirstSecondTxPerSecond">Accepted transactions per second in the first second.</param>
public sealed record WarmStart(double SteadyTxPerSecond, double Fraction, TimeSpan? ReachedAt, double FirstSecondTxPerSecond)
{
    /// <summary>The default window: long enough to hold several blocks at saturation, short enough to resolve the first seconds.</summary>
    public static TimeSpan DefaultWindow { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads <paramref name="timeline"/> (as <see cref="LoadResult.Timeline"/>); null if it is too short to tell (under two windows).</summary>
    public static WarmStart? Of(IReadOnlyList<TimelineSample> timeline, double fraction = 0.8, TimeSpan? window = null)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        TimeSpan span = window ?? DefaultWindow;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(span, TimeSpan.Zero);
        if (timeline.Count < 2 || timeline[^1].Elapsed < 2 * span)
        {
            return null;
        }

        TimelineSample last = timeline[^1];
        double steady = Rate(At(timeline, last.Elapsed / 2), last);
        TimeSpan? reached = null;
        int from = 0;
        for (int i = 1; i < timeline.Count && reached is null && steady > 0; i++)
        {
            // The window ending at sample i starts at the latest sample at least `span` before it.
            while (from + 1 < i && timeline[i].Elapsed - timeline[from + 1].Elapsed >= span)
            {
                from++;
            }

            if (timeline[i].Elapsed - timeline[from].Elapsed >= span && Rate(timeline[from], timeline[i]) >= fraction * steady)
            {
                reached = timeline[i].Elapsed;
            }
        }

        return new WarmStart(steady, fraction, reached, Rate(timeline[0], At(timeline, TimeSpan.FromSeconds(1))));
    }

    private static double Rate(TimelineSample from, TimelineSample to) =>
        to.Elapsed > from.Elapsed ? (to.Accepted - from.Accepted) / (to.Elapsed - from.Elapsed).TotalSeconds : 0;

    /// <summary>The count at <paramref name="time"/>, interpolated between the samples around it.</summary>
    private static TimelineSample At(IReadOnlyList<TimelineSample> timeline, TimeSpan time)
    {
        for (int i = 1; i < timeline.Count; i++)
        {
            if (timeline[i].Elapsed >= time)
            {
                TimelineSample a = timeline[i - 1];
                TimelineSample b = timeline[i];
                if (b.Elapsed == a.Elapsed)
                {
                    return b;
                }

                double share = (time - a.Elapsed) / (b.Elapsed - a.Elapsed);
                return new TimelineSample(time, a.Accepted + (long)Math.Round(share * (b.Accepted - a.Accepted)));
            }
        }

        return timeline[^1];
    }
}
