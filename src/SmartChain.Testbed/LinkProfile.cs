using System.Globalization;

namespace SmartChain.Testbed;

/// <summary>
/// The shape of one host's link to the bridge, in the terms of <c>tc netem</c>. <see cref="RttMs"/> is the round-trip
/// time this link adds: a packet crossing it waits a quarter of it in each direction, so two hosts whose links both
/// have the profile see that RTT between them, and a host with profile A talking to one with profile B sees
/// (A + B) / 2. Jitter is added per packet per link (uniform in ±<see cref="JitterMs"/>, so jittered packets
/// reorder as with netem); loss, duplication and reordering are per packet per link direction, in percent.
/// </summary>
/// <param name="Name">The profile's name (one of <see cref="Named"/>, or "custom").</param>
/// <param name="RttMs">Round-trip time this link contributes, in milliseconds.</param>
/// <param name="JitterMs">Per-packet jitter on each crossing, in milliseconds.</param>
/// <param name="LossPercent">Packets dropped on each crossing, percent.</param>
/// <param name="DuplicatePercent">Packets delivered twice, percent.</param>
/// <param name="ReorderPercent">Packets sent at once instead of delayed (so they overtake others), percent.</param>
public sealed record LinkProfile(string Name, double RttMs, double JitterMs = 0, double LossPercent = 0, double DuplicatePercent = 0,
    double ReorderPercent = 0)
{
    /// <summary>No added delay: the bridge forwards at once.</summary>
    public static LinkProfile Lan { get; } = new("lan", 0);

    /// <summary>One cloud region, data centres about 2 ms apart.</summary>
    public static LinkProfile Region { get; } = new("region", 2, JitterMs: 0.1);

    /// <summary>One continent: about 40 ms round trip.</summary>
    public static LinkProfile Continent { get; } = new("continent", 40, JitterMs: 1);

    /// <summary>Across the world: about 150 ms round trip with visible jitter.</summary>
    public static LinkProfile World { get; } = new("world", 150, JitterMs: 10);

    /// <summary>A bad link: region delay with 2% loss, 1% duplication and 5% reordering on each crossing.</summary>
    public static LinkProfile Lossy { get; } = new("lossy", 4, JitterMs: 0.5, LossPercent: 2, DuplicatePercent: 1, ReorderPercent: 5);

    /// <summary>The named profiles, by name.</summary>
    public static IReadOnlyDictionary<string, LinkProfile> Named { get; } = new Dictionary<string, LinkProfile>(StringComparer.OrdinalIgnoreCase)
    {
        [Lan.Name] = Lan,
        [Region.Name] = Region,
        [Continent.Name] = Continent,
        [World.Name] = World,
        [Lossy.Name] = Lossy,
    };

    /// <summary>The named profile, or a clear error listing the names.</summary>
    /// <exception cref="TestbedException">No profile has that name.</exception>
    public static LinkProfile Parse(string name) =>
        Named.TryGetValue(name, out LinkProfile? profile)
            ? profile
            : throw new TestbedException($"unknown network profile '{name}': use one of {string.Join(", ", Named.Keys)}");

    /// <summary>Checks the numbers are in range (delays up to 10 s, percentages 0..100).</summary>
    /// <exception cref="TestbedException">A number is out of range.</exception>
    public LinkProfile Validated()
    {
        if (RttMs is < 0 or > 10_000 || JitterMs < 0 || JitterMs > 10_000 || !Percent(LossPercent) || !Percent(DuplicatePercent) || !Percent(ReorderPercent))
        {
            throw new TestbedException($"profile {this}: delays must be 0..10000 ms and percentages 0..100");
        }

        return this;
    }

    /// <summary>The one-way delay of one crossing of this link, without jitter.</summary>
    public double OneWayMs => RttMs / 4;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name} (link RTT {RttMs} ms ±{JitterMs} ms, loss {LossPercent}%, duplicate {DuplicatePercent}%, reorder {ReorderPercent}%)");

    private static bool Percent(double p) => p is >= 0 and <= 100;
}
