using System.Diagnostics;
using System.Text.Json;
using SmartChain.Testbed;

namespace SmartChain.Netns.Tests;

/// <summary>The runner refuses to start unless the testbed is cut off from the machine's own network.</summary>
[Collection("netns")]
public sealed class IsolationTests
{
    private static readonly Ipv4Subnet Subnet = Ipv4Subnet.Parse("10.9.8.0/24");

    [Fact]
    public void DefaultRouteGatewayAndOutsideRoutesAreViolations_SubnetAndLoopbackRoutesAreNot()
    {
        const string routes = """
            [{"dst":"10.9.8.0/24","dev":"eth0"},{"type":"local","dst":"10.9.8.1","dev":"eth0","table":"local"},
             {"type":"local","dst":"127.0.0.0/8","dev":"lo","table":"local"},
             {"dst":"default","gateway":"10.9.8.254","dev":"eth0"},{"dst":"192.0.2.0/24","dev":"eth0"}]
            """;
        List<string> problems = [.. IsolationCheck.RouteViolations("ns", Subnet, routes)];
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("gateway 10.9.8.254", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("192.0.2.0/24", StringComparison.Ordinal) && p.Contains("outside", StringComparison.Ordinal));
        Assert.Single(IsolationCheck.RouteViolations("ns", Subnet, """[{"dst":"default","dev":"eth0"}]"""));
    }

    [Fact]
    public void SubnetOverlappingTheMachinesRoutesOrAddressesOrPublicIsRefused()
    {
        Assert.Contains(IsolationCheck.HostConflicts(Subnet, """[{"dst":"10.0.0.0/8","dev":"eth0"}]""", "[]"), p => p.Contains("overlaps", StringComparison.Ordinal));
        Assert.Contains(IsolationCheck.HostConflicts(Subnet, "[]", """[{"ifname":"eth0","addr_info":[{"family":"inet","local":"10.9.8.7"}]}]"""),
            p => p.Contains("10.9.8.7", StringComparison.Ordinal));
        Assert.Contains(IsolationCheck.HostConflicts(Ipv4Subnet.Parse("8.8.8.0/24"), "[]", "[]"), p => p.Contains("not a private", StringComparison.Ordinal));
        Assert.Empty(IsolationCheck.HostConflicts(Subnet, """[{"dst":"default","gateway":"192.0.2.1","dev":"eth0"},{"dst":"192.0.2.0/24","dev":"eth0"}]""", "[]"));
        Assert.Contains(IsolationCheck.LinkViolations("ns", ["eth0"], """[{"ifname":"lo"},{"ifname":"eth0"},{"ifname":"veth9"}]"""), p => p.Contains("veth9", StringComparison.Ordinal));
    }

    [Fact]
    public void UpRefusesASubnetOfTheMachinesOwnNetwork_AndCreatesNothing()
    {
        Root.Require();
        using var dir = new TempDirectory();
        string prefix = "st" + Guid.NewGuid().ToString("N")[..6];
        TestbedException refused = Assert.Throws<TestbedException>(() => NamespaceTestbed.Up(new TestbedOptions
        {
            Folder = dir.Combine("net"),
            Replicas = 2,
            Subnet = MachineSubnet(),
            Prefix = prefix,
            SmartChainCommand = Root.SmartChain,
        }));
        Assert.Contains("refusing to start", refused.Message, StringComparison.Ordinal);
        Assert.Contains("overlaps", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Root.Namespaces(), ns => ns.StartsWith(prefix, StringComparison.Ordinal));
    }

    [Fact]
    public void ARouteOutAddedAfterUpIsReported_AndReplicasAreNotStarted()
    {
        Root.Require();
        using var dir = new TempDirectory();
        using NamespaceTestbed testbed = NamespaceTestbed.Up(new TestbedOptions { Folder = dir.Combine("net"), Replicas = 1, SmartChainCommand = Root.SmartChain });
        Assert.Empty(testbed.CheckIsolation());
        TestbedHost r0 = testbed.Replica(0);
        string gateway = Ipv4Subnet.Parse(testbed.Subnet).Host(254);
        Run("ip", "-n", r0.Namespace, "route", "add", "default", "via", gateway);

        Assert.Contains(testbed.CheckIsolation(), p => p.Contains($"gateway {gateway}", StringComparison.Ordinal));
        TestbedException refused = Assert.Throws<TestbedException>(() => testbed.StartReplica(0, ["sleep", "30"], dir.File("r0.log")));
        Assert.Contains("refusing to start", refused.Message, StringComparison.Ordinal);
        Assert.Null(testbed.ReplicaPid(0));
        Assert.Empty(testbed.Down());
    }

    /// <summary>The IPv4 prefix of one of the machine's own routes (loopback's if it has no other).</summary>
    private static string MachineSubnet()
    {
        using JsonDocument routes = JsonDocument.Parse(Run("ip", "-j", "-4", "route", "show"));
        foreach (JsonElement route in routes.RootElement.EnumerateArray())
        {
            if (route.GetProperty("dst").GetString() is { } dst && dst != "default" && dst.Contains('/', StringComparison.Ordinal))
            {
                return $"{Ipv4Subnet.Parse(dst).Host(0)}/24";
            }
        }

        return "127.0.0.0/24";
    }

    private static string Run(string file, params string[] args)
    {
        using Process process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
        return output;
    }
}
