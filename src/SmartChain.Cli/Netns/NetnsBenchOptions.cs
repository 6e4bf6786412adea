using SmartChain.Core.Genesis;
using SmartChain.Testbed;

namespace SmartChain.Cli.Netns;

/// <summary>What <c>smartchain netns bench</c> runs.</summary>
internal sealed record NetnsBenchOptions
{
    public required string OutputDirectory { get; init; }

    public IReadOnlyList<int> Replicas { get; init; } = [4, 7];

    public IReadOnlyList<PersistenceMode> Persistence { get; init; } = [PersistenceMode.Strong, PersistenceMode.Weak];

    public IReadOnlyList<LinkProfile> Profiles { get; init; } = [LinkProfile.Lan, LinkProfile.Region, LinkProfile.Continent, LinkProfile.World];

    /// <summary>Client counts swept per profile (each runs <see cref="StreamsPerClient"/> closed-loop streams).</summary>
    public IReadOnlyList<int> ClientSweep { get; init; } = [16, 64];

    public int StreamsPerClient { get; init; } = 4;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
}
