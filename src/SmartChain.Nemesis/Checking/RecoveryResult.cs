namespace SmartChain.Nemesis.Checking;

/// <summary>How fast the load came back after the heal.</summary>
/// <param name="BaselinePerSecond">Ok operations per second before the first fault.</param>
/// <param name="HealMs">When the last fault ended (ms since the start).</param>
/// <param name="RecoveredAfter">From the heal to the end of the first window at speed; null if it never got there.</param>
/// <param name="BestAfterHealPerSecond">The best windowed rate seen after the heal.</param>
public sealed record RecoveryResult(double BaselinePerSecond, double HealMs, TimeSpan? RecoveredAfter, double BestAfterHealPerSecond);
