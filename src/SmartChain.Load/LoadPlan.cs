namespace SmartChain.Load;

/// <summary>How long a load runs: a warm-up that is not measured, then the measured part.</summary>
public sealed record LoadPlan(TimeSpan Warmup, TimeSpan Duration)
{
    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the timeline (<see cref="LoadResult.Timeline"/>) is sampled. A tenth of a second resolves the first
    /// seconds of a run, where the JIT warms up, and costs nothing on the streams' path.
    /// </summary>
    public TimeSpan TimelineInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Requests offered a second by all streams together, open loop (<see cref="Pacer"/>): each request waits for its
    /// slot and its latency counts from the slot. Null: closed loop, each stream sends as soon as its last request is
    /// accepted. The streams must be enough to keep rate × latency requests in flight, or the slots fall behind.
    /// </summary>
    public double? Rate { get; init; }

    /// <summary>Called once, when the warm-up ends and measurement starts (to sample CPU counters, say).</summary>
    public Action? MeasurementStarted { get; init; }

    /// <summary>
    /// Called once, when the measured time ends and before the streams are stopped, so counters sampled here cover the
    /// same window as <see cref="LoadResult.Transactions"/> (not the streams' shutdown).
    /// </summary>
    public Action? MeasurementEnded { get; init; }
}
