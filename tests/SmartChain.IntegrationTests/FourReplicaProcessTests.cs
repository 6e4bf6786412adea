using System.Diagnostics;
using SmartChain.Cli.Tests;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Load;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;
using SmartChain.Ledger.Verification;
using Xunit.Abstractions;

namespace SmartChain.IntegrationTests;

/// <summary>Four replica processes started by the CLI, real TCP on 127.0.0.1, real files, real signatures.</summary>
public sealed class FourReplicaProcessTests(ITestOutputHelper output) : IDisposable
{
    private const int Wallets = 400;
    private const int Rounds = 24; // 400 MINTs + 24 × 400 SPENDs = 10,000 transactions (the suite's time; bench/ measures throughput)
    private const int Clients = 16;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "smartchain-integration", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("strong")]
    [InlineData("weak")]
    public async Task Four_replica_processes_order_10000_coin_transactions_into_identical_verified_ledgers(string persistence)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        string net = Path.Combine(_dir, "net");
        CliRun init = await CliRun.AsProcessAsync("testnet", "init", "--dir", net, "--persistence", persistence, "--base-port", TestPorts.FreeRange(8).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(init.ExitCode == 0, init.Error);
        CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
        var submitted = new List<SignedRequest>();
        try
        {
            Assert.True(start.ExitCode == 0, start.Output + start.Error);
            Assert.Contains("all 4 replicas are up and connected", start.Output, StringComparison.Ordinal);
            await RunWorkloadAsync(net, submitted, timeout.Token);
        }
        finally
        {
            CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
            Assert.True(stop.ExitCode == 0, stop.Error);
            Assert.Contains("4 replica(s) stopped", stop.Output, StringComparison.Ordinal);
        }

        foreach (string log in Directory.GetFiles(net, "node.log", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            output.WriteLine(File.ReadLines(log).Last(l => l.Contains("stopped:", StringComparison.Ordinal)));
        }

        AssertLedgersHoldEverything(net, submitted);
    }

    private async Task RunWorkloadAsync(string net, List<SignedRequest> submitted, CancellationToken ct)
    {
        GenesisDocument genesis = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        using Ed25519KeyPair minter = KeyFile.Load(Path.Combine(net, "wallets", "minter0.key"));
        using var load = new CoinWorkload(genesis.ChainId, minter, Wallets, seed: 2026);
        var identities = Enumerable.Range(0, Clients).Select(_ => Ed25519KeyPair.Generate()).ToList();
        var clients = new List<ChainClient>();
        try
        {
            foreach (Ed25519KeyPair identity in identities)
            {
                clients.Add(await ChainClient.ConnectAsync(genesis, identity, null, ct));
            }

            var total = Stopwatch.StartNew();

            // One key's MINTs go out in sequence order over one client, so none overtakes another.
            SignedRequest[] mints = load.MintPhase();
            submitted.AddRange(mints);
            await AssertAllExecutedAsync(mints.Select(m => clients[0].SubmitAsync(m, ct)).ToList(), genesis.Persistence == PersistenceMode.Strong);

            var clock = Stopwatch.StartNew();
            for (int round = 0; round < Rounds; round++)
            {
                SignedRequest[] spends = load.NextSpendRound();
                submitted.AddRange(spends);
                await AssertAllExecutedAsync(spends.Select((s, i) => clients[i % Clients].SubmitAsync(s, ct)).ToList(), genesis.Persistence == PersistenceMode.Strong);
            }

            double seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{genesis.Persistence}: {Rounds * Wallets} SPENDs from {Clients} clients ordered, executed and persisted by 4 replica processes in {seconds:0.0} s: {Rounds * Wallets / seconds:0} tx/s; whole workload {total.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            foreach (ChainClient client in clients)
            {
                await client.DisposeAsync();
            }

            identities.ForEach(k => k.Dispose());
        }
    }

    private static async Task AssertAllExecutedAsync(List<Task<ReplyMessage>> replies, bool strong)
    {
        foreach (ReplyMessage reply in await Task.WhenAll(replies))
        {
            Assert.True(reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate, $"{reply.Status}: {System.Text.Encoding.UTF8.GetString(reply.Result.Span)}");
            Assert.Equal(CoinResultCode.Ok, CoinResult.Decode(reply.Result.Span).Code);
            Assert.True(reply.Status == ReplyStatus.Duplicate || reply.Receipt.IsEmpty != strong, "strong mode: an executed reply is accepted alone, with its receipt; weak: on Q without");
        }
    }

    private void AssertLedgersHoldEverything(string net, List<SignedRequest> submitted)
    {
        GenesisDocument genesis = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        string[] dataDirs = [.. Enumerable.Range(0, 4).Select(i => Path.Combine(net, $"node{i}", "data"))];
        IReadOnlyList<VerifyReport> reports = LedgerAssert.VerifiedAndIdentical(genesis, dataDirs);
        foreach (VerifyReport report in reports)
        {
            output.WriteLine(report.ToString());
        }

        Assert.Single(reports.Select(r => (r.HeadHash, r.StateHash)).Distinct());
        Assert.Equal(Wallets + (Wallets * Rounds), submitted.Count);
        foreach (string dataDir in dataDirs)
        {
            HashSet<Hash256> ordered = LedgerAssert.EntryDigests(dataDir);
            Assert.All(submitted, s => Assert.Contains(s.Digest, ordered));
        }
    }
}
