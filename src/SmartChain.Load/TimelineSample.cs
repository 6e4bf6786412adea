namespace SmartChain.Load;

/// <summary>One point of a load's timeline: how many transactions had been accepted (warm-up included) when it was taken.</summary>
/// <param name="Elapsed">Time since the streams started.</param>
/// <param name="Accepted">Transactions accepted since the streams started.</param>
public readonly record struct TimelineSample(TimeSpan Elapsed, long Accepted);
