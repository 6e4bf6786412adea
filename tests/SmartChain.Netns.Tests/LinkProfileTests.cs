using SmartChain.Cli.Netns;
using SmartChain.Testbed;

namespace SmartChain.Netns.Tests;

/// <summary>A profile's delay is really applied per link; a partition really cuts and heal really restores.</summary>
[Collection("netns")]
public sealed class LinkProfileTests
{
    [Fact]
    public async Task ContinentLinksGive40MsRtt_FarReplicaIsFarther_PartitionCutsAndHealRestores()
    {
        Root.Require();
        using var dir = new TempDirectory();
        using NamespaceTestbed testbed = NamespaceTestbed.Up(new TestbedOptions
        {
            Folder = dir.Combine("net"),
            Replicas = 3,
            Profile = LinkProfile.Continent,
            Far = [2],
            FarProfile = LinkProfile.World,
            SmartChainCommand = Root.SmartChain,
        });
        TestbedHost r0 = testbed.Replica(0);
        TestbedHost r1 = testbed.Replica(1);
        TestbedHost r2 = testbed.Replica(2);

        // continent on both links: 40 ms; continent + world: (40 + 150) / 2 = 95 ms, ± the world link's jitter.
        Assert.InRange(await MedianRttAsync(r1, r0), 39, 60);
        Assert.InRange(await MedianRttAsync(r1, r2), 80, 125);

        testbed.Partition([[0, 2], [1, 2]]); // a bridge: 2 sees both sides, 0 and 1 do not see each other
        Assert.Equal(2, await LostAsync(r1, r0));
        Assert.InRange(await MedianRttAsync(r1, r2), 80, 125);

        testbed.Heal();
        Assert.InRange(await MedianRttAsync(r1, r0), 39, 60);
        Assert.Empty(testbed.Down());
    }

    private static async Task<double> MedianRttAsync(TestbedHost from, TestbedHost to)
    {
        System.Text.Json.JsonElement result = await RttAsync(from, to, 7, 2000);
        return result.GetProperty("medianMs").GetDouble();
    }

    private static async Task<int> LostAsync(TestbedHost from, TestbedHost to) => (await RttAsync(from, to, 2, 400)).GetProperty("lost").GetInt32();

    private static async Task<System.Text.Json.JsonElement> RttAsync(TestbedHost from, TestbedHost to, int count, int timeoutMs)
    {
        (int code, string output, string error) = await NetnsTestnet.RunInAsync(from,
            [.. Root.SmartChain, "netns", "rtt", "--address", to.Address, "--count", $"{count}", "--timeout-ms", $"{timeoutMs}"], TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.True(code == 0, output + error);
        return System.Text.Json.JsonDocument.Parse(output).RootElement.Clone();
    }
}
