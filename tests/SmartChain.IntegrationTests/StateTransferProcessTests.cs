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
/// SPEC §6 with 4 real processes under closed-loop SMaRtCoin load: a replica away while the others order 300 or 360
/// blocks (a few checkpoints; about 3,000 transactions) comes back with an empty data folder, or resumes after being
/// stalled, and catches up by state transfer while the load goes on. Afterwards all four ledgers verify from genesis
/// and agree.
/// A replica killed and restarted on the ledger it kept is not a case of its own here: its restart from its own files
/// is CrashRecoveryTests' (as processes), and a transfer that installs a snapshot over a ledger the replica holds is the
/// stalled case's (and, in process over real TCP and files, StateTransferTests'
/// A_replica_stopped_across_several_checkpoints_catches_up_from_a_snapshot_and_blocks).
/// </summary>
public sealed class StateTransferProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private enum Away
    {
        KilledAndDataDeleted,
        Stalled,
    }

    [Fact]
    public async Task A_replica_whose_data_folder_was_deleted_while_away_for_3000_transactions_catches_up_by_state_transfer_while_load_continues()
    {
        // At block 0, with the tip at 300 or beyond: the newest checkpoint (300 or later) records a snapshot it lacks.
        string log = await RunAsync(Away.KilledAndDataDeleted, checkpointPeriod: 100, awayBlocks: 300);
        Assert.Contains("installed the snapshot of the state after block", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stalled_replica_that_finds_the_others_far_ahead_starts_one_transfer_not_a_storm()
    {
        // A stalled replica resumes with what its peers queued for it while it was stopped and orders from that until
        // their messages run more than the future window (64 instances) ahead of it; then it starts one transfer. A
        // snapshot is needed only if the newest checkpoint's snapshot (one period before it) is ahead of the replica:
        // sure once the certified tip is two periods ahead. With a checkpoint every 100 blocks that took 200 blocks,
        // and the gap between the replica and the tip when the transfer began was 191 to 459 in the 23 runs we looked
        // at (197 in CI, where it installed no snapshot and the test failed); every 20 blocks it takes 40. The away
        // distance (360 blocks) gives the peers' queues enough for them to run ahead of the window at all.
        string log = await RunAsync(Away.Stalled, checkpointPeriod: 20, awayBlocks: 360);
        Assert.Single(log.Split('\n'), l => l.Contains("far ahead of instance", StringComparison.Ordinal));
        Assert.Contains("installed the snapshot of the state after block", log, StringComparison.Ordinal);
    }

    // Takes replica 3 away, runs the load until the other three have ordered `awayBlocks` blocks (blocks, not
    // transactions: checkpoints come every so many blocks, and transactions per block grow with the machine's load),
    // brings it back with the load still running, waits until it holds the tip of the moment it came back, lets 500
    // more transactions through (it orders with the others again), stops everything and checks the four ledgers.
    // Returns replica 3's log.
    private async Task<string> RunAsync(Away away, int checkpointPeriod, int awayBlocks)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        (string net, GenesisDocument genesis, Ed25519KeyPair[] minters) = await TestnetSetup.InitAsync(_dir.Path, "strong", 1,
            "--checkpoint-period", checkpointPeriod.ToString(CultureInfo.InvariantCulture));
        string home3 = Path.Combine(net, "node3");
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        using var workload = new SpendStreams(genesis.ChainId, minters[0], streams: 32, seed: 8);
        using var progressed = new SemaphoreSlim(0);
        Task<LoadResult>? load = null;
        List<ChainClient> clients = [];
        int pid3 = 0;
        try
        {
            CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
            Assert.True(start.ExitCode == 0, start.Output + start.Error);
            pid3 = int.Parse(File.ReadAllText(Path.Combine(home3, "node.pid")).Trim(), CultureInfo.InvariantCulture);
            await TakeAwayAsync(away, pid3, home3, timeout.Token);

            // A stalled replica accepts the TCP connection but never completes the handshake: each batch of clients would
            // wait the default 10 s connect timeout for it (20 s of the test's time), though Q = 3 answer at once.
            ClientOptions? options = away == Away.Stalled ? new ClientOptions { ConnectTimeout = TimeSpan.FromSeconds(3) } : null;
            clients = await LocalNetwork.ConnectClientsAsync(genesis, 8, timeout.Token, options);
            long accepted = 0;
            // Progress four times a second: each report is the cue to look at the tip again, and a coarser one overshoots
            // the away distance (and the waits below) by up to a second of load.
            var plan = new LoadPlan(TimeSpan.Zero, TimeSpan.FromMinutes(10)) { ProgressInterval = TimeSpan.FromMilliseconds(250) };
            load = LoadRunner.RunAsync(clients, workload, plan, p =>
            {
                Interlocked.Exchange(ref accepted, p.Transactions);
                progressed.Release();
            }, stopLoad.Token);
            var clock = Stopwatch.StartNew();
            IReadOnlyDictionary<int, QueryResultMessage> atReturn;
            // A probe leaves out a replica that does not answer within its second (the load's first seconds can keep all
            // three busier than that): an empty probe is "not there yet", bounded by the test's timeout like the rest.
            while ((atReturn = await LocalNetwork.ProbeAsync(clients[0], timeout.Token)).Count == 0
                || atReturn.Values.Max(a => a.BlockHeight) < awayBlocks)
            {
                await progressed.WaitAsync(timeout.Token);
            }

            long tipAtReturn = atReturn.Values.Max(a => a.BlockHeight);
            long executedAtReturn = atReturn.Values.Max(a => a.ExecutedInstance);

            output.WriteLine($"{Interlocked.Read(ref accepted)} transactions in {tipAtReturn} blocks ordered by 3 replicas in {clock.Elapsed.TotalSeconds:0} s");
            clock.Restart();
            await BringBackAsync(away, net, pid3);

            // The load's clients connected while replica 3 was away; a new client sees all four.
            using Ed25519KeyPair probeKey = Ed25519KeyPair.Generate();
            await using ChainClient probe = await ChainClient.ConnectAsync(genesis, probeKey, null, timeout.Token);
            long caughtUpAt = await WaitForAsync(probe, tipAtReturn, executedAtReturn, home3, progressed, timeout.Token);
            output.WriteLine($"replica 3 reached block {caughtUpAt} (the tip was {tipAtReturn} when it came back) in {clock.Elapsed.TotalSeconds:0.0} s");
            long atCatchUp = Interlocked.Read(ref accepted);
            while (Interlocked.Read(ref accepted) < atCatchUp + 500)
            {
                await progressed.WaitAsync(timeout.Token);
            }
        }
        finally
        {
            try
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
            }
            finally
            {
                // The replica processes go, whatever failed above: a failing test must not leave them running.
                if (away == Away.Stalled && pid3 != 0)
                {
                    Signal("CONT", pid3);
                }

                CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
                Assert.True(stop.ExitCode == 0, stop.Error);
                Array.ForEach(minters, k => k.Dispose());
            }
        }

        string log = await File.ReadAllTextAsync(Path.Combine(home3, "node.log"));
        Assert.DoesNotContain("as a source", log, StringComparison.Ordinal);
        foreach (string line in log.Split('\n').Where(l => l.Contains("state transfer", StringComparison.Ordinal)))
        {
            output.WriteLine(line.Trim());
        }

        string[] dataDirs = [.. Enumerable.Range(0, 4).Select(i => Path.Combine(net, $"node{i}", "data"))];
        foreach (VerifyReport report in LedgerAssert.VerifiedAndIdentical(genesis, dataDirs))
        {
            output.WriteLine(report.ToString());
            Assert.True(report.Blocks >= awayBlocks, report.ToString());
        }

        return log;
    }

    private static async Task TakeAwayAsync(Away away, int pid, string home, CancellationToken cancellationToken)
    {
        if (away == Away.Stalled)
        {
            Signal("STOP", pid);
            return;
        }

        using Process process = Process.GetProcessById(pid);
        process.Kill();
        await process.WaitForExitAsync(cancellationToken);
        if (away == Away.KilledAndDataDeleted)
        {
            Directory.Delete(Path.Combine(home, "data"), recursive: true);
        }
    }

    private static async Task BringBackAsync(Away away, string net, int pid)
    {
        if (away == Away.Stalled)
        {
            Signal("CONT", pid);
            return;
        }

        CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net, "--node", "3");
        Assert.True(start.ExitCode == 0, start.Output + start.Error);
    }

    // Replica 3's block height and executed instance at each report of the load's progress, until it holds `tip` and
    // has executed `executed` (within 120 s). The height alone is not enough: a transfer appends the blocks a snapshot
    // covers before it installs the snapshot, and a test that went on from there could stop the replica in between.
    private static async Task<long> WaitForAsync(ChainClient probe, long tip, long executed, string home, SemaphoreSlim progressed,
        CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            IReadOnlyDictionary<int, QueryResultMessage> answers = await LocalNetwork.ProbeAsync(probe, cancellationToken);
            if (answers.TryGetValue(3, out QueryResultMessage? three) && three.BlockHeight >= tip && three.ExecutedInstance >= executed)
            {
                return three.BlockHeight;
            }

            await progressed.WaitAsync(cancellationToken);
        }

        Assert.Fail($"replica 3 did not reach block {tip} and instance {executed} within 120 s; its log:{Environment.NewLine}" +
            string.Join(Environment.NewLine, File.ReadAllLines(Path.Combine(home, "node.log")).TakeLast(40)));
        return 0;
    }

    private static void Signal(string signal, int pid)
    {
        using Process kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
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
