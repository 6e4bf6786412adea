namespace SmartChain.Nemesis.Checking;

/// <summary>
/// What "back to full speed after healing" means: the ok operations per second, averaged over a sliding
/// <see cref="Window"/>, reach <see cref="Fraction"/> of the baseline (the rate before the first fault) within
/// <see cref="Bound"/> of the heal.
/// </summary>
public sealed record RecoveryOptions
{
    /// <summary>Longest allowed time from the heal to the end of the first window at speed.</summary>
    public TimeSpan Bound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of the baseline rate that counts as full speed (below 1: the machine's own noise).</summary>
    public double Fraction { get; init; } = 0.8;

    /// <summary>Width of the averaging window.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(10);
}
