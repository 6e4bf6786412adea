namespace SmartChain.Simulation;

/// <summary>The outcome of one seed: null <see cref="Failure"/> means every invariant held and every request was decided.</summary>
public sealed record SimulationResult(SimulationConfig Config, string? Failure, long Instances, long VirtualMs, long Sent, long Dropped,
    long Duplicated)
{
    /// <summary>Highest regency any replica that did not crash reached (0: the first leader stayed).</summary>
    public int Regency { get; init; }

    /// <summary>After the faults that end had ended: the longest wait for the next decision (ticks) at the worst ratio to its bound.</summary>
    public long WaitTicks { get; init; }

    /// <summary>The liveness bound of that wait (ticks).</summary>
    public long BoundTicks { get; init; }

    /// <summary>The largest k (regencies failed since the last decision) a liveness wait began with.</summary>
    public int MaxK { get; init; }

    /// <summary>The <c>--faults</c> class the run forced (<c>mixed</c>: the seed decided), for the rerun command.</summary>
    public string Faults { get; init; } = "mixed";

    /// <summary>Mutated messages the mutating Byzantine replica sent.</summary>
    public long Lies { get; init; }

    /// <summary>Packets from faulty replicas that did not decode (dropped, as the node rejects them).</summary>
    public long Undecodable { get; init; }

    public bool Passed => Failure is null;

    public override string ToString() => Passed
        ? $"ok   {Config} -> {Instances} instances in {VirtualMs} ms, regency {Regency}, worst wait {WaitTicks}/{BoundTicks} ticks (k ≤ {MaxK}), {Lies} lies ({Undecodable} undecodable), {Sent} sent, {Dropped} dropped, {Duplicated} duplicated"
        : $"FAIL {Config}\n     {Failure}\n     rerun: dotnet run --project tests/SmartChain.Simulation -- --seed {Config.Seed}{(Faults == "mixed" ? "" : $" --faults {Faults}")}";
}
