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
            Task load = Task.WhenAll(minters.Select(m => StreamAsync(client, genesis, m, clock, accepted, progress, stopLoad.Token)));

            while (accepted.Count < 100)
            {
                await progress.WaitAsync(timeout.Token);
            }

            Signal(signal, leaderPid);
            TimeSpan killedAt = clock.Elapsed;
            int before = accepted.Count;

            // Time to the first block ordered under the new leader.
            TimeSpan changedAt;
            while (true)
            {
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
            while (accepted.Count < atChange + 200)
            {
                await progress.WaitAsync(timeout.Token);
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
                        await progress.WaitAsync(timeout.Token);
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
        finally
        {
            if (signal == "STOP" && leaderPid != 0)
            {
                Signal("CONT", leaderPid);
            }

            CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
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
