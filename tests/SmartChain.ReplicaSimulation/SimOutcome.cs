using System.Globalization;

namespace SmartChain.ReplicaSimulation;

/// <summary>What one seed's run did and found; <see cref="Failure"/> is null when every invariant held.</summary>
internal sealed record SimOutcome(ulong Seed, string? Failure, string TraceHash, SimFaults Faults)
{
    public bool Passed => Failure is null;

    public long VirtualMs { get; init; }

    public int Acknowledged { get; init; }

    public long Height { get; init; }

    public long Restarts { get; init; }

    public long Delivered { get; init; }

    public long Lost { get; init; }

    public long Steps { get; init; }

    public long Escapes { get; init; }

    /// <summary>Where the first escaped post came from (a stack), if any.</summary>
    public string? FirstEscape { get; init; }

    /// <summary>Virtual ms from the end of faults to the liveness probe's acknowledgement.</summary>
    public long LivenessMs { get; init; }

    public TimeSpan Wall { get; init; }

    /// <summary>What the replicas' simulated disks did and how the replicas answered.</summary>
    public SimDiskReport Disk { get; init; } = new();

    /// <summary>Snapshot state transfers, and what corrupted reads while running hit.</summary>
    public SimSnapshotReport Snapshots { get; init; } = new();

    /// <summary>The reconfiguration drawn for the run, and what of it was done ("join", "leave", "exclude").</summary>
    public SimReconfiguration Reconfiguration { get; init; } = new();

    public IReadOnlyList<string> Reconfigured { get; init; } = [];

    /// <summary>The command that reruns this seed alone.</summary>
    public string Replay => string.Create(CultureInfo.InvariantCulture, $"dotnet run --project tests/SmartChain.ReplicaSimulation -- --seed {Seed}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"seed {Seed}: {(Passed ? "passed" : "FAILED: " + Failure)}; trace {TraceHash}; {Acknowledged} acknowledged, height {Height}, {Restarts} restarts, " +
        $"{Delivered} frames delivered, {Lost} lost, liveness {LivenessMs} ms after faults, {VirtualMs} virtual ms in {Wall.TotalMilliseconds:0} ms, {Steps} steps, " +
        $"{Escapes} escapes; faults: {Faults}; {Disk}; {Snapshots}; reconfiguration: {Reconfiguration} (done: {string.Join(", ", Reconfigured)}){(Passed ? "" : "\n  replay: " + Replay)}");
}
