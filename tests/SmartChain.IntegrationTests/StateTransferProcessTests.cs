using System.Diagnostics;
using System.Globalization;
using SmartChain.Cli.Testnet;
using SmartChain.Cli.Tests;
using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Ledger.Verification;
using SmartChain.Load;
using SmartChain.Network.Client;
using Xunit.Abstractions;

namespace SmartChain.IntegrationTests;

/// <summary>
/// SPEC §6 with 4 real processes: a replica away while the others order 50,000 SMaRtCoin transactions (several
/// checkpoints) comes back, or comes back with an empty data folder, and catches up by state transfer while the load
/// goes on. Afterwards all four ledgers verify from genesis and agree.
/// </summary>
public sealed class StateTransferProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int AwayTransactions = 50_000;
    private const int CheckpointPeriod = 400;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_replica_away_for_50000_transactions_catches_up_by_state_transfer_while_load_continues(bool deleteDataFolder)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        (string net, GenesisDocument genesis, Ed25519KeyPair[] minters) = await TestnetSetup.InitAsync(_dir.Path, "strong", 1,
            "--checkpoint-period", CheckpointPeriod.ToString(CultureInfo.InvariantCulture));
        string home3 = Path.Combine(net, "node3");
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        Task<LoadResult>? load = null;
        List<ChainClient> clients = [];
        using var workload = new SpendStreams(genesis.ChainId, minters[0], streams: 32, seed: 8);
        try
        {
            CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
            Assert.True(start.ExitCode == 0, start.Output + start.Error);
            await KillAsync(home3, timeout.Token);
            if (deleteDataFolder)
            {
                Directory.Delete(Path.Combine(home3, "data"), recursive: true);
            }

            // Closed-loop SPEND streams, as the bench drives them; they run until the end of the test.
            clients = await LocalNetwork.ConnectClientsAsync(genesis, 8, timeout.Token);
            long accepted = 0;
            using var progressed = new SemaphoreSlim(0);
            load = LoadRunner.RunAsync(clients, workload, new LoadPlan(TimeSpan.Zero, TimeSpan.FromMinutes(10)), p =>
            {
                Interlocked.Exchange(ref accepted, p.Transactions);
                progressed.Release();
            }, stopLoad.Token);
            var clock = Stopwatch.StartNew();
            while (Interlocked.Read(ref accepted) < AwayTransactions)
            {
                await progressed.WaitAsync(timeout.Token);
            }

            output.WriteLine($"{Interlocked.Read(ref accepted)} transactions ordered by 3 replicas in {clock.Elapsed.TotalSeconds:0} s");

            // Back, while the load goes on; it must reach the others' block height of now, and keep up afterwards.
            long tipAtRestart = (await LocalNetwork.ProbeAsync(clients[0], timeout.Token)).Values.Max(a => a.BlockHeight);
            clock.Restart();
            start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net, "--node", "3");
            Assert.True(start.ExitCode == 0, start.Output + start.Error);

            // The load's clients connected while replica 3 was down; a new client sees all four.
            using Ed25519KeyPair probeKey = Ed25519KeyPair.Generate();
            await using ChainClient probe = await ChainClient.ConnectAsync(genesis, probeKey, null, timeout.Token);
            long caughtUpAt;
            using var catchUpDeadline = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            catchUpDeadline.CancelAfter(TimeSpan.FromSeconds(120));
            while (true)
            {
                if (catchUpDeadline.IsCancellationRequested)
                {
                    Assert.Fail($"replica 3 did not reach block {tipAtRestart} within 120 s; its log:{Environment.NewLine}{Tail(home3)}");
                }

                IReadOnlyDictionary<int, QueryResultMessage> answers = await LocalNetwork.ProbeAsync(probe, timeout.Token);
                if (answers.TryGetValue(3, out QueryResultMessage? three) && three.BlockHeight >= tipAtRestart)
                {
                    caughtUpAt = three.BlockHeight;
                    break;
                }

                await progressed.WaitAsync(timeout.Token); // once a second, with the load's progress
            }

            output.WriteLine($"replica 3 reached block {caughtUpAt} (the tip was {tipAtRestart} when it restarted) in {clock.Elapsed.TotalSeconds:0.0} s");
            long atCatchUp = Interlocked.Read(ref accepted);
            while (Interlocked.Read(ref accepted) < atCatchUp + 2_000)
            {
                await progressed.WaitAsync(timeout.Token);
            }

            await stopLoad.CancelAsync();
            await IgnoreCancellation(load);
        }
        finally
        {
            await stopLoad.CancelAsync();
            if (load is not null)
            {
                await IgnoreCancellation(load);
            }

            foreach (ChainClient client in clients)
            {
                await client.DisposeAsync();
            }

            CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
            Assert.True(stop.ExitCode == 0, stop.Error);
            Array.ForEach(minters, k => k.Dispose());
        }

        string log = await File.ReadAllTextAsync(Path.Combine(home3, "node.log"));
        Assert.Contains("installed the snapshot of the state after block", log, StringComparison.Ordinal);
        Assert.DoesNotContain("as a source", log, StringComparison.Ordinal);
        foreach (string line in log.Split('\n').Where(l => l.Contains("state transfer", StringComparison.Ordinal)))
        {
            output.WriteLine(line.Trim());
        }

        string[] dataDirs = [.. Enumerable.Range(0, 4).Select(i => Path.Combine(net, $"node{i}", "data"))];
        foreach (VerifyReport report in LedgerAssert.VerifiedAndIdentical(genesis, dataDirs))
        {
            output.WriteLine(report.ToString());
            Assert.True(report.Transactions >= AwayTransactions, report.ToString());
        }
    }

    private static string Tail(string home) =>
        string.Join(Environment.NewLine, File.ReadAllLines(Path.Combine(home, "node.log")).TakeLast(40));

    private static async Task KillAsync(string home, CancellationToken cancellationToken)
    {
        using Process process = Process.GetProcessById(int.Parse(File.ReadAllText(Path.Combine(home, "node.pid")).Trim(), CultureInfo.InvariantCulture));
        process.Kill();
        await process.WaitForExitAsync(cancellationToken);
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
