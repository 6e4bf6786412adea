namespace SmartChain.Simulation;

/// <summary>How many seeds of a swarm had each fault class (a seed may have several).</summary>
internal sealed class FaultClassCounts
{
    private static readonly string[] Names = ["none", "partition", "crash", "byzantine", "mutate", "twins", "crash-all"];
    private readonly long[] _counts = new long[Names.Length];

    public void Add(SimulationConfig config)
    {
        bool any = false;
        any |= Count(1, config.PartitionedReplica >= 0);
        any |= Count(2, config.CrashedReplica >= 0);
        any |= Count(3, config.ByzantineReplica >= 0 && config.Behaviour != ByzantineBehaviour.Mutate);
        any |= Count(4, config.Behaviour == ByzantineBehaviour.Mutate);
        any |= Count(5, config.TwinReplica >= 0);
        any |= Count(6, config.CrashAllAtMs >= 0);
        Count(0, !any);
    }

    /// <summary>Each class's count scaled to 1,000 seeds.</summary>
    public string PerThousand(ulong seeds) =>
        string.Join(", ", Names.Select((name, i) => $"{name} {(seeds == 0 ? 0 : _counts[i] * 1000.0 / seeds):0.#}"));

    private bool Count(int index, bool present)
    {
        _counts[index] += present ? 1 : 0;
        return present;
    }
}
