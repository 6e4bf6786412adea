namespace SmartChain.Load;

/// <summary>One progress report: the last interval's rate and latency, and the totals so far.</summary>
/// <param name="Elapsed">Time since the streams started (warm-up included).</param>
/// <param name="WarmingUp">True during the warm-up.</param>
/// <param name="Transactions">Transactions accepted since the measurement started (0 while warming up).</param>
/// <param name="TxPerSecond">Accepted transactions per second over the last interval.</param>
/// <param name="P50Ms">Median latency over the last interval, in milliseconds.</param>
/// <param name="P99Ms">99th percentile latency over the last interval, in milliseconds.</param>
/// <param name="Errors">Streams stopped by a result they could not go on from.</param>
public sealed record LoadProgress(TimeSpan Elapsed, bool WarmingUp, long Transactions, double TxPerSecond, double P50Ms, double P99Ms, long Errors);
