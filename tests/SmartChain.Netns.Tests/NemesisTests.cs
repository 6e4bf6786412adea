using System.Globalization;
using SmartChain.Cli.Nemesis;
using SmartChain.Cli.Netns;
using SmartChain.Cli.Testnet;
using SmartChain.Core.Genesis;
using SmartChain.Nemesis.Checking;
using SmartChain.Nemesis.History;
using SmartChain.Testbed;

namespace SmartChain.Netns.Tests;

/// <summary>
/// The nemesis in small, on real namespaces: clients record a history in the client namespace while the leader is cut
/// off and another replica is killed and restarted; the checker finds every ledger consistent with the history.
/// </summary>
[Collection("netns")]
public sealed class NemesisTests
{
    [Fact]
    public async Task ClientsUnderALeaderPartitionAndAKill_HistoryCheckerFindsTheRunClean()
    {
        Root.Require();
        using var dir = new TempDirectory();
        string folder = dir.Combine("net");
        var log = new StringWriter();
        try
        {
            using NamespaceTestbed bed = await NetnsTestnet.UpAsync(new TestbedOptions { Folder = folder, Replicas = 4, SmartChainCommand = Root.SmartChain },
                PersistenceMode.Strong, minters: 1, nodeArgs: [], log, CancellationToken.None);
            long t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            string history = dir.File("history.jsonl");
            string loadLog = dir.File("load.log");
            bed.Start(bed.Clients,
            [
                .. Root.SmartChain, "nemesis", "load", "--genesis", NetnsTestnet.GenesisPath(folder),
                "--minter", Path.Combine(folder, TestnetInitializer.WalletsFolder, TestnetInitializer.MinterKeyFile(0)),
                "--out", history, "--spenders", "4", "--t0", t0.ToString(CultureInfo.InvariantCulture),
                "--until", (t0 + 14_000).ToString(CultureInfo.InvariantCulture),
            ], loadLog, "load");
            TestbedProcess load = bed.Processes.Last(p => p.Role == "load");
            await WaitAsync(() => File.Exists(loadLog) && File.ReadAllText(loadLog).Contains("load running", StringComparison.Ordinal), loadLog);

            bed.Partition([[0], [1, 2, 3]]); // replica 0 leads regency 0
            await Task.Delay(PartitionHeld); // the fault's length, not a wait for an event
            bed.Heal();
            Assert.True(bed.SignalReplica(1, TestbedSignals.Kill));
            await WaitAsync(() => bed.ReplicaPid(1) is null, "replica 1 still runs after kill -9");
            await Task.Delay(DownFor); // the fault's length: how long the killed replica stays down
            bed.RestartReplica(1);
            await WaitAsync(() => !RunProcess.IsRunning(load), loadLog);

            // The killed replica may still be catching up when the load ends: the checker demands that members catch up,
            // so let it (its ledger is read as it grows; reading is safe beside the running replica).
            await WaitAsync(() => Height(folder, 0) - Height(folder, 1) <= HistoryChecker.LaggingBlocks / 4, "replica 1 did not catch up");
            foreach (TestbedHost host in bed.Replicas)
            {
                bed.SignalReplica(host.ReplicaId!.Value, TestbedSignals.Terminate);
            }

            await WaitAsync(() => bed.Replicas.All(h => bed.ReplicaPid(h.ReplicaId!.Value) is null), "replicas did not stop");
            IReadOnlyList<HistoryRecord> records = HistoryJson.Read(history);
            CheckReport report = HistoryChecker.Check(records, RunLedgers.Scan(RunLedgers.HomesOf(folder), log));

            Assert.True(report.Clean, string.Join("\n", report.Violations) + "\n" + log);
            Assert.True(records.Count(r => r.Outcome == OperationOutcome.Ok) > 10, File.ReadAllText(loadLog));
        }
        finally
        {
            NamespaceTestbed.Down(folder);
            Assert.Empty(NamespaceTestbed.Leftovers(folder));
        }
    }

    private static long Height(string folder, int replica)
    {
        string dataDir = SmartChain.Core.Configuration.NodeConfig.Load(Path.Combine(folder, TestnetInitializer.NodeFolder(replica), "node.json")).DataDir;
        using SmartChain.Ledger.Store.BlockStore store = SmartChain.Ledger.Store.BlockStore.OpenReadOnly(dataDir);
        return store.Height;
    }

    private static readonly TimeSpan PartitionHeld = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan DownFor = TimeSpan.FromSeconds(1.5);

    // Polls state another process writes (a log file, a process that is not our child): no event to await there.
    private static async Task WaitAsync(Func<bool> done, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!done())
        {
            await Task.Delay(100, limit.Token).ContinueWith(t => Assert.False(t.IsCanceled, $"timed out: {what}"), TaskScheduler.Default);
        }
    }
}
