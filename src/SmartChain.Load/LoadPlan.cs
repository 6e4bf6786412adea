namespace SmartChain.Load;

/// <summary>How long a load runs: a warm-up that is not measured, then the measured part.</summary>
public sealed record LoadPlan(TimeSpan Warmup, TimeSpan Duration)
{
    /// <summary>How often progress is reported.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Called once, when the warm-up ends and measurement starts (to sample CPU counters, say).</summary>
    public Action? MeasurementStarted { get; init; }
}
