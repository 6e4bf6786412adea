namespace SmartChain.Simulation;

/// <summary>The outcome of one seed: null <see cref="Failure"/> means every invariant held and every request was decided.</summary>
public sealed record SimulationResult(SimulationConfig Config, string? Failure, long Instances, long VirtualMs, long Sent, long Dropped,
    long Duplicated)
{
    /// <summary>Highest regency any replica that did not crash reached (0: the first leader stayed).</summary>
    public int Regency { get; init; }

    public bool Passed => Failure is null;

    public override string ToString() => Passed
        ? $"ok   {Config} -> {Instances} instances in {VirtualMs} ms, regency {Regency}, {Sent} sent, {Dropped} dropped, {Duplicated} duplicated"
        : $"FAIL {Config}\n     {Failure}\n     rerun: dotnet run --project tests/SmartChain.Simulation -- --seed {Config.Seed}";
}
