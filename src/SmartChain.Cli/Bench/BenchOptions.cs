namespace SmartChain.Cli.Bench;

/// <summary>What <c>smartchain bench</c> runs.</summary>
internal sealed record BenchOptions
{
    public required string OutputDirectory { get; init; }

    /// <summary>Configuration keys to run (all by default).</summary>
    public IReadOnlyList<string> Configurations { get; init; } = [.. BenchConfiguration.All.Select(c => c.Key)];

    /// <summary>Operations: "mint", "spend".</summary>
    public IReadOnlyList<string> Operations { get; init; } = ["mint", "spend"];

    /// <summary>Client counts swept to find saturation.</summary>
    public IReadOnlyList<int> ClientSweep { get; init; } = [4, 16, 64];

    public int StreamsPerClient { get; init; } = 4;

    /// <summary>Measured runs at the saturating client count.</summary>
    public int Runs { get; init; } = 3;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    public int Replicas { get; init; } = 4;

    /// <summary>An already running network to drive (its genesis.json); null: local networks per configuration.</summary>
    public string? Network { get; init; }

    /// <summary>The reduced matrix: one sweep point, one run, short phases.</summary>
    public static BenchOptions Quick(string output) => new()
    {
        OutputDirectory = output,
        ClientSweep = [16],
        Runs = 1,
        Warmup = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromSeconds(3),
    };
}
