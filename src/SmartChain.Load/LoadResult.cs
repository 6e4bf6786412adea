namespace SmartChain.Load;

/// <summary>What a measured load achieved.</summary>
/// <param name="Streams">Concurrent streams (one outstanding request each).</param>
/// <param name="Transactions">Transactions accepted during the measured time.</param>
/// <param name="Measured">The measured time.</param>
/// <param name="P50Ms">Median latency, submit to accepted reply, in milliseconds.</param>
/// <param name="P99Ms">99th percentile latency.</param>
/// <param name="P999Ms">99.9th percentile latency.</param>
/// <param name="MaxMs">Highest latency.</param>
/// <param name="Errors">Streams stopped by an unexpected result.</param>
public sealed record LoadResult(int Streams, long Transactions, TimeSpan Measured, double P50Ms, double P99Ms, double P999Ms, double MaxMs, long Errors)
{
    /// <summary>Accepted transactions per second over the measured time.</summary>
    public double TxPerSecond => Measured.TotalSeconds > 0 ? Transactions / Measured.TotalSeconds : 0;

    /// <summary>
    /// Accepted transactions over the whole run, warm-up included, sampled every <see cref="LoadPlan.TimelineInterval"/>
    /// from the streams' start (the first sample is (0, 0)); <see cref="WarmStart"/> reads it.
    /// </summary>
    public IReadOnlyList<TimelineSample> Timeline { get; init; } = [];

    /// <summary>The measured requests in slot order (at most the first two million), which <see cref="LatencyTail"/> explains.</summary>
    public IReadOnlyList<RequestTrace> Requests { get; init; } = [];
}
