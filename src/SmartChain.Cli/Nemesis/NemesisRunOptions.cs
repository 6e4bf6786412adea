using SmartChain.Testbed;

namespace SmartChain.Cli.Nemesis;

/// <summary>What <c>nemesis run</c> does: how long, on what network, with which seed, into which folder.</summary>
internal sealed record NemesisRunOptions
{
    /// <summary>The run's folder: the testnet (net/), history.jsonl, timeline.jsonl, status.json, check.txt, nemesis.png.</summary>
    public required string Out { get; init; }

    /// <summary>Total length, load included: a warm-up without faults, faults, then a recovery period after the heal.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The shape of every replica link (and the clients').</summary>
    public LinkProfile Profile { get; init; } = LinkProfile.Continent;

    /// <summary>Seeds the fault schedule, the clients and the bridge.</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Replicas at the start (one of them leaves during the run, so at least 5).</summary>
    public int Replicas { get; init; } = 5;

    /// <summary>SPEND streams of the clients.</summary>
    public int Spenders { get; init; } = 16;

    /// <summary>Fault-free load before the first fault: the baseline the recovery is measured against.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Load after the heal, without faults.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>The recovery bound the checker applies.</summary>
    public TimeSpan RecoveryBound { get; init; } = TimeSpan.FromSeconds(60);
}
