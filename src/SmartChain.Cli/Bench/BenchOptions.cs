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

    /// <summary>
    /// After the runs at saturation, as many runs again open loop at each of these percentages of the saturating rate
    /// (their median tx/s): latency at a load the network can carry, not at the queue a closed loop builds. None by default.
    /// </summary>
    public IReadOnlyList<int> PacedPercents { get; init; } = [];

    /// <summary>
    /// The runs at the chosen client count offered open loop at this many tx/s instead of closed loop (the sweep stays
    /// closed loop): CPU per transaction compared at the same load, where batch sizes match. Null by default.
    /// </summary>
    public double? Rate { get; init; }

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
