using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Demo;

/// <summary>What <c>smartchain demo</c> runs.</summary>
internal sealed record DemoOptions
{
    public int Replicas { get; init; } = 4;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);

    public PersistenceMode Persistence { get; init; } = PersistenceMode.Strong;

    /// <summary>Blocks between checkpoints (genesis checkpointPeriod).</summary>
    public long CheckpointPeriod { get; init; } = Core.Genesis.GenesisDocument.DefaultCheckpointPeriod;

    public int Clients { get; init; } = 16;

    /// <summary>Concurrent SPEND chains per client.</summary>
    public int StreamsPerClient { get; init; } = 4;

    /// <summary>Where to create the network; kept afterwards. Null: a fresh folder under the temp folder, removed at the end.</summary>
    public string? Directory { get; init; }

    public bool Json { get; init; }

    /// <summary>Kill the leader's process this long into the load (and restart it a few seconds later), or null.</summary>
    public TimeSpan? KillLeaderAt { get; init; }

    /// <summary>Grow the network to this many replicas by joins during the load (from a quarter of it on), or null.</summary>
    public int? GrowTo { get; init; }
}
