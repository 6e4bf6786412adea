using System.Diagnostics;
using System.Globalization;
using SmartChain.Cli.Tests;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;
using Xunit.Abstractions;
using static SmartChain.IntegrationTests.ProcessMemory;

namespace SmartChain.IntegrationTests;

/// <summary>
/// Four replica processes under a hostile client (docs/network.md, "Budgets"): each replica's resident memory stays
/// within the documented budget, and a legitimate client's MINTs complete while the attack runs.
/// </summary>
public sealed class HostileClientProcessTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// What hostile clients may add to a replica's resident memory: the budget computed in docs/network.md
    /// ("Resident memory of a replica under hostile clients"), ≈ 338 MiB of live data, rounded up.
    /// </summary>
    public const long ClientBudgetBytes = 360L << 20;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "smartchain-integration", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_hostile_client_neither_exhausts_replica_memory_nor_stops_a_legitimate_mint()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        (string net, GenesisDocument genesis, Ed25519KeyPair[] minters) = await TestnetSetup.InitAsync(_dir, "strong", 1);
        using Ed25519KeyPair minter = minters[0];
        CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
        try
        {
            Assert.True(start.ExitCode == 0, start.Output + start.Error);
            int[] pids = [.. Enumerable.Range(0, 4).Select(i => int.Parse(File.ReadAllText(Path.Combine(net, $"node{i}", "node.pid")).Trim(), CultureInfo.InvariantCulture))];
            using Ed25519KeyPair identity = Ed25519KeyPair.Generate();
            await using ChainClient client = await ChainClient.ConnectAsync(genesis, identity, null, timeout.Token);
            ulong sequence = 0;
            await MintAsync(client, genesis, minter, ++sequence, timeout.Token); // warm: the first block is ordered
            long[] idle = [.. pids.Select(ResidentBytes)];

            var hostile = new HostileClient(genesis);
            var attackTime = TimeSpan.FromSeconds(15);
            var minted = new List<double>();
            var attackClock = Stopwatch.StartNew();
            var attackStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task mints = MintUnderAttackAsync(client, genesis, minter, sequence, 5, minted, attackStarted.Task, timeout.Token);
            sequence += 5;
            Task attack = hostile.RunAsync(sessionsPerReplica: 150, halfOpenPerReplica: 100, attackTime, minSessions: 200, holdUntil: mints, timeout.Token);
            attackStarted.SetResult();
            long[] peak = [.. idle];
            while (!attack.IsCompleted)
            {
                Task sample = Task.Delay(250, timeout.Token); // a sampling period, not a synchronisation
                for (int i = 0; i < pids.Length; i++)
                {
                    peak[i] = Math.Max(peak[i], ResidentBytes(pids[i]));
                }

                await Task.WhenAny(attack, sample);
            }

            await attack;
            output.WriteLine($"attack: {hostile.SessionsOpened} sessions opened, {hostile.SessionsRefused} closed by the replicas, {hostile.HalfOpen} half-open, {hostile.BytesSent >> 20} MiB sent in {attackClock.Elapsed.TotalSeconds:0} s");
            output.WriteLine($"MINTs during the attack: {string.Join(", ", minted.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))} ms");
            for (int i = 0; i < pids.Length; i++)
            {
                output.WriteLine($"replica {i}: VmRSS idle {idle[i] >> 20} MiB, peak under attack {peak[i] >> 20} MiB (+{(peak[i] - idle[i]) >> 20} MiB; budget +{ClientBudgetBytes >> 20} MiB)");
            }

            Assert.True(hostile.SessionsOpened >= 200, $"only {hostile.SessionsOpened} sessions opened"); // hundreds, though at most 64 per replica at once
            await mints; // all five ended before the attack did: it lasts until they have
            Assert.Equal(5, minted.Count);
            Assert.All(Enumerable.Range(0, 4), i => Assert.True(peak[i] - idle[i] <= ClientBudgetBytes,
                $"replica {i} grew by {(peak[i] - idle[i]) >> 20} MiB under attack, over the budget of {ClientBudgetBytes >> 20} MiB"));

            await MintAsync(client, genesis, minter, ++sequence, timeout.Token); // and after it
        }
        finally
        {
            CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
            Assert.True(stop.ExitCode == 0, stop.Error);
        }

        string[] dataDirs = [.. Enumerable.Range(0, 4).Select(i => Path.Combine(net, $"node{i}", "data"))];
        Assert.Single(LedgerAssert.VerifiedAndIdentical(genesis, dataDirs).Select(r => (r.HeadHash, r.StateHash)).Distinct());
    }

    // After the attack has run a while, `count` MINTs one after another, each timed; the attack lasts until they end.
    private static async Task MintUnderAttackAsync(ChainClient client, GenesisDocument genesis, Ed25519KeyPair minter, ulong after, int count,
        List<double> minted, Task attackStarted, CancellationToken ct)
    {
        await attackStarted;
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // let the attack fill the replicas' tables first: a fault's length, not a wait for an event
        for (int i = 1; i <= count; i++)
        {
            var one = Stopwatch.StartNew();
            await MintAsync(client, genesis, minter, after + (ulong)i, ct);
            minted.Add(one.Elapsed.TotalMilliseconds);
        }
    }

    private static async Task MintAsync(ChainClient client, GenesisDocument genesis, Ed25519KeyPair minter, ulong sequence, CancellationToken ct)
    {
        using var within = CancellationTokenSource.CreateLinkedTokenSource(ct);
        within.CancelAfter(TimeSpan.FromSeconds(20));
        SignedRequest mint = SignedRequest.Create(genesis.ChainId, minter, sequence, 0, CoinOperation.Mint([new CoinOutput(minter.PublicKey, sequence)]).Encode());
        ReplyMessage reply = await client.SubmitAsync(mint, within.Token);
        // Duplicate is the cached answer to a retransmission (the client resends when a link drops under the attack).
        Assert.True(reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate, $"{reply.Status}: {System.Text.Encoding.UTF8.GetString(reply.Result.Span)}");
        Assert.Equal(CoinResultCode.Ok, CoinResult.Decode(reply.Result.Span).Code);
    }
}
