namespace SmartChain.Storage.Simulation;

/// <summary>One seed's outcome: null failure means every invariant held; the trace is what happened, step by step.</summary>
internal sealed record StorageRunResult(int Seed, string? Failure, FaultCounts Counts, IReadOnlyList<string> Trace)
{
    /// <summary>The command that replays this seed exactly.</summary>
    public string ReplayCommand => $"dotnet run -c Release --project tests/SmartChain.Storage.Simulation -- --seed {Seed} --trace";
}
