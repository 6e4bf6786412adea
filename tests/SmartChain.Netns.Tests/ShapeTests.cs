using SmartChain.Testbed;

namespace SmartChain.Netns.Tests;

/// <summary>Profiles and partitions as data: names, ranges, and which pairs a partition cuts (no root needed).</summary>
public sealed class ShapeTests
{
    [Fact]
    public void NamedProfilesParse_UnknownNamesAndBadNumbersAreRefusedWithTheReason()
    {
        Assert.Equal(40, LinkProfile.Parse("continent").RttMs);
        Assert.Equal(10, LinkProfile.Parse("Continent").OneWayMs);
        Assert.Contains("lan, region, continent, world, lossy", Assert.Throws<TestbedException>(() => LinkProfile.Parse("mars")).Message, StringComparison.Ordinal);
        Assert.Throws<TestbedException>(() => (LinkProfile.Lossy with { LossPercent = 101 }).Validated());
        Assert.Throws<TestbedException>(() => (LinkProfile.Lan with { RttMs = -1 }).Validated());
    }

    [Fact]
    public void PartitionCutsPairsSharingNoGroup_OverlappingGroupsMakeABridge_AReplicaInNoGroupIsIsolated()
    {
        List<TestbedHost> hosts = [.. Enumerable.Range(0, 5).Select(i => new TestbedHost($"r{i}", $"x-r{i}", $"10.0.0.{i + 1}", "02:00:00:00:00:00", i)),
            new TestbedHost("c", "x-c", "10.0.0.250", "02:00:00:00:00:fa", null)];
        List<string> cuts = NetworkShape.PartitionCuts(hosts, [new() { 0, 1, 2 }, new() { 2, 3 }]);
        // r2 reaches both sides; r4 is in no group; the client host is never cut by a partition.
        Assert.Equal(["r0|r3", "r0|r4", "r1|r3", "r1|r4", "r2|r4", "r3|r4"], cuts.Order(StringComparer.Ordinal));
        Assert.Equal("r1|r3", NetworkShape.CutKey("r3", "r1"));
    }
}
