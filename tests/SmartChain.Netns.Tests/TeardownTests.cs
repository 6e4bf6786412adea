using System.Diagnostics;
using SmartChain.Testbed;

namespace SmartChain.Netns.Tests;

/// <summary>Down leaves nothing behind after a failed run, and ends what others started inside the testbed's namespaces.</summary>
[Collection("netns")]
public sealed class TeardownTests
{
    [Fact]
    public void UpWhoseBridgeCannotStart_FailsAndRemovesEverythingItCreated()
    {
        Root.Require();
        using var dir = new TempDirectory();
        string prefix = "tf" + Guid.NewGuid().ToString("N")[..6];
        TestbedException failed = Assert.Throws<TestbedException>(() => NamespaceTestbed.Up(new TestbedOptions
        {
            Folder = dir.Combine("net"),
            Replicas = 2,
            Prefix = prefix,
            SmartChainCommand = ["/bin/false"], // the bridge exits at once
        }));
        Assert.Contains("bridge exited", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Root.Namespaces(), ns => ns.StartsWith(prefix, StringComparison.Ordinal));
        Assert.Empty(NamespaceTestbed.Leftovers(dir.Combine("net")));
    }

    [Fact]
    public void DownFromTheStateFile_EndsProcessesStartedInItsNamespacesByOthers()
    {
        Root.Require();
        using var dir = new TempDirectory();
        string folder = dir.Combine("net");
        NamespaceTestbed testbed = NamespaceTestbed.Up(new TestbedOptions { Folder = folder, Replicas = 1, SmartChainCommand = Root.SmartChain });
        int recorded = testbed.StartReplica(0, ["sleep", "600"], dir.File("r0.log"));
        // A process the testbed does not know: started in the client namespace directly, as a user's wallet command would be.
        using Process stranger = Process.Start(NamespaceTestbed.ExecInfo(testbed.Clients, ["sleep", "600"]))!;

        IReadOnlyList<string> left = NamespaceTestbed.Down(folder); // from the folder alone, as another process would
        Assert.Empty(left);
        Assert.True(stranger.WaitForExit(5000), "the process inside the client namespace still runs");
        Assert.False(Directory.Exists($"/proc/{recorded}") && ProcFs.StartTime(recorded) is not null && !ProcFs.IsZombie(recorded));
        Assert.Empty(NamespaceTestbed.Down(folder)); // twice is harmless
    }
}
