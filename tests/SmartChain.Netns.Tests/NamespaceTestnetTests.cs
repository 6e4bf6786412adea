using System.Globalization;
using SmartChain.Cli.Netns;
using SmartChain.Cli.Tests;
using SmartChain.Core.Genesis;
using SmartChain.Testbed;

namespace SmartChain.Netns.Tests;

/// <summary>The whole path a user takes: netns up, SPEND load from the client namespace, netns down, nothing left.</summary>
[Collection("netns")]
public sealed class NamespaceTestnetTests
{
    [Fact]
    public async Task FourReplicaTestnetUp_SpendLoadCompletes_DownLeavesNoNamespaceLinkOrProcess()
    {
        Root.Require();
        using var dir = new TempDirectory();
        string folder = dir.Combine("net");
        try
        {
            CliRun up = await CliRun.AsProcessAsync(TimeSpan.FromSeconds(90), "netns", "up", "--dir", folder, "--replicas", "4");
            Assert.True(up.ExitCode == 0, up.Output + up.Error);
            Assert.Contains("all 4 replicas are up and connected", up.Output, StringComparison.Ordinal);

            // Each replica runs inside its own namespace, with the address the genesis lists for it.
            NamespaceTestbed testbed = NamespaceTestbed.Open(folder);
            GenesisDocument genesis = GenesisJson.Load(NetnsTestnet.GenesisPath(folder));
            foreach (TestbedHost host in testbed.Replicas)
            {
                Assert.Equal(host.Address, genesis.InitialView.Members.Single(m => m.Id == host.ReplicaId).Host);
                int pid = testbed.ReplicaPid(host.ReplicaId!.Value) ?? throw new Xunit.Sdk.XunitException($"replica {host.ReplicaId} does not run");
                Assert.Equal(host.Namespace, Root.NamespaceOf(pid));
            }

            CliRun load = await CliRun.AsProcessAsync(TimeSpan.FromSeconds(60), "netns", "exec", "--dir", folder, "--",
                "smartchain", "netns", "load", "--network", NetnsTestnet.GenesisPath(folder), "--clients", "4", "--warmup", "1", "--duration", "3");
            Assert.True(load.ExitCode == 0, load.Output + load.Error);
            LoadJson result = LoadJson.Parse(load.Output);
            Assert.True(result.Transactions > 0, $"no SPEND accepted: {load.Output}");
            Assert.Equal(0, result.Errors);

            IReadOnlyList<TestbedProcess> started = testbed.Processes;
            Assert.Equal(5, started.Count); // the bridge and four replicas

            CliRun down = await CliRun.AsProcessAsync(TimeSpan.FromSeconds(60), "netns", "down", "--dir", folder);
            Assert.True(down.ExitCode == 0, down.Output + down.Error);
            Assert.Empty(NamespaceTestbed.Leftovers(folder));
            Assert.DoesNotContain(Root.Namespaces(), ns => ns.StartsWith(testbed.Prefix + "-", StringComparison.Ordinal));
            Assert.All(started, p => Assert.False(ProcFs.IsRunning(p), string.Create(CultureInfo.InvariantCulture, $"{p.Role} pid {p.Pid} still runs")));
        }
        finally
        {
            NamespaceTestbed.Down(folder); // after a failure, too: nothing of this run may outlive it
        }
    }
}
