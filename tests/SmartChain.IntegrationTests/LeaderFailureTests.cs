using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SmartChain.Cli.Tests;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;
using Xunit.Abstractions;

namespace SmartChain.IntegrationTests;

/// <summary>
/// A leader that dies (SIGKILL) or stalls (SIGSTOP, later SIGCONT) under load, with 4 real processes: the others
/// change leader, every client request completes, and the stalled replica catches up when it returns.
/// </summary>
public sealed class LeaderFailureTests(ITestOutputHelper output) : IDisposable
{
    private const int Streams = 8;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("KILL")]
    [InlineData("STOP")]
    public async Task The_network_keeps_ordering_when_its_leader_is_killed_or_stalled(string signal)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        (string net, GenesisDocument genesis, Ed25519KeyPair[] minters) = await TestnetSetup.InitAsync(_dir.Path, "weak", Streams);
        var accepted = new ConcurrentQueue<(TimeSpan At, Hash256 Digest)>();
        int leaderPid = 0;
        bool failed = false;
        try
        {
            CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
            Assert.True(start.ExitCode == 0, start.Output + start.Error);
            leaderPid = int.Parse(File.ReadAllText(Path.Combine(net, "node0", "node.pid")).Trim(), CultureInfo.InvariantCulture);
            using Ed25519KeyPair identity = Ed25519KeyPair.Generate();
            await using ChainClient client = await ChainClient.ConnectAsync(genesis, identity, null, timeout.Token);
            await using ChainClient probe = await ChainClient.ConnectAsync(genesis, identity, null, timeout.Token);
            var clock = Stopwatch.StartNew();
            using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            using var progress = new SemaphoreSlim(0);
            Task[] streams = [.. minters.Select(m => StreamAsync(client, genesis, m, clock, accepted, progress, stopLoad.Token))];
            Task load = Task.WhenAll(streams);

            // A stream ends only when the load stops, or when a request of it failed: that fails the test at once, with
            // its reason, rather than as a wait for progress that runs into the timeout.
            Task firstEnded = Task.WhenAny(streams).Unwrap();

            while (accepted.Count < 100)
            {
                await NextAsync(progress, firstEnded, timeout.Token);
            }

            Signal(signal, leaderPid);
            TimeSpan killedAt = clock.Elapsed;
            int before = accepted.Count;

            // Time to the first block ordered under the new leader.
            TimeSpan changedAt;
            while (true)
            {
                if (firstEnded.IsCompleted)
                {
                    await FailAsync(firstEnded);
                }

                IReadOnlyDictionary<int, QueryResultMessage> answers = await probe.QueryEachAsync(CoinQuery.CoinsOf(identity.PublicKey), TimeSpan.FromMilliseconds(300), timeout.Token);
                if (answers.Values.Count(a => a.Leader != 0) >= genesis.InitialView.Q && accepted.Any(a => a.At > killedAt + TimeSpan.FromMilliseconds(1)) &&
                    accepted.Count > before + Streams)
                {
                    changedAt = clock.Elapsed;
                    break;
                }
            }

            // Keep going a while under the new leader, then let a stalled leader come back and catch up.
            int atChange = accepted.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIG{signal} at {killedAt.TotalSeconds:0.00} s ({before} accepted); a new leader ordering at {changedAt.TotalSeconds:0.00} s ({atChange} accepted)"));
            while (accepted.Count < atChange + 200)
            {
                await NextAsync(progress, firstEnded, timeout.Token);
            }

            if (signal == "STOP")
            {
                Signal("CONT", leaderPid);

                // The returning replica catches up: it executes what the others executed. Its progress has no event
                // of its own; the load goes on, and each round of accepted replies is the cue to ask again.
                long target = (await probe.QueryEachAsync(CoinQuery.CoinsOf(identity.PublicKey), TimeSpan.FromSeconds(1), timeout.Token)).Values.Max(a => a.ExecutedInstance);
                while ((await probe.QueryEachAsync(CoinQuery.CoinsOf(identity.PublicKey), TimeSpan.FromSeconds(1), timeout.Token)).TryGetValue(0, out QueryResultMessage? old) == false ||
                       old!.ExecutedInstance < target)
                {
                    for (int i = 0; i < Streams; i++)
                    {
                        await NextAsync(progress, firstEnded, timeout.Token);
                    }
                }
            }

            await stopLoad.CancelAsync();
            await load;
            double rateBefore = accepted.Count(a => a.At < killedAt) / killedAt.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIG{signal} to the leader at {killedAt.TotalSeconds:0.00} s: new leader ordering after {(changedAt - killedAt).TotalSeconds:0.00} s; " +
                $"{rateBefore:0} tx/s before, {accepted.Count(a => a.At > killedAt && a.At < changedAt)} accepted during the change, {accepted.Count} in all"));
        }
        catch (Exception)
        {
            failed = true;
            throw;
        }
        finally
        {
            if (signal == "STOP" && leaderPid != 0)
            {
                Signal("CONT", leaderPid);
            }

            CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
            if (failed)
            {
                PrintLogs(net, accepted);
            }

            Assert.True(stop.ExitCode == 0, stop.Error);
            Array.ForEach(minters, k => k.Dispose());
        }

        int[] live = signal == "KILL" ? [1, 2, 3] : [0, 1, 2, 3];
        LedgerAssert.VerifiedAndIdentical(genesis, live.Select(i => Path.Combine(net, $"node{i}", "data")));
        foreach (int i in live)
        {
            HashSet<Hash256> ordered = LedgerAssert.EntryDigests(Path.Combine(net, $"node{i}", "data"));
            if (signal == "KILL" || i != 0)
            {
                Assert.All(accepted, a => Assert.Contains(a.Digest, ordered));
            }
        }
    }

    // What a failed run leaves to read: when requests were accepted, and each replica's log (their folders go with the test).
    private void PrintLogs(string net, ConcurrentQueue<(TimeSpan At, Hash256 Digest)> accepted)
    {
        output.WriteLine($"{accepted.Count} accepted; the last at {(accepted.IsEmpty ? 0 : accepted.Max(a => a.At.TotalSeconds)):0.00} s");
        for (int i = 0; i < 4; i++)
        {
            string log = Path.Combine(net, $"node{i}", "node.log");
            string[] lines = File.Exists(log) ? File.ReadAllLines(log) : [];
            output.WriteLine($"--- replica {i}: {lines.Length} log lines, the last 150:");
            foreach (string line in lines.TakeLast(150))
            {
                output.WriteLine(line);
            }
        }
    }

    // The next accepted request, or the failure of the first stream that ended.
    private static async Task NextAsync(SemaphoreSlim progress, Task firstEnded, CancellationToken cancellationToken)
    {
        Task next = progress.WaitAsync(cancellationToken);
        if (await Task.WhenAny(next, firstEnded) != next)
        {
            await FailAsync(firstEnded);
        }

        await next;
    }

    private static async Task FailAsync(Task firstEnded)
    {
        await firstEnded;
        Assert.Fail("a load stream ended before the load was stopped");
    }

    private static void Signal(string signal, int pid)
    {
        using Process kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private static async Task StreamAsync(ChainClient client, GenesisDocument genesis, Ed25519KeyPair minter, Stopwatch clock,
        ConcurrentQueue<(TimeSpan, Hash256)> accepted, SemaphoreSlim progress, CancellationToken stop)
    {
        var wallet = new CoinWallet(genesis.ChainId, minter);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                SignedRequest request = wallet.Mint([new CoinOutput(minter.PublicKey, 1)]);
                ReplyMessage reply = await client.SubmitAsync(request, stop);
                Assert.True(reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate, $"{reply.Status}");
                accepted.Enqueue((clock.Elapsed, request.Digest));
                progress.Release();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }
}
