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
using SmartChain.Ledger.Verification;
using SmartChain.Network.Client;
using Xunit.Abstractions;

namespace SmartChain.IntegrationTests;

/// <summary>
/// SPEC §6: every replica process SIGKILLed at the same moment, under load; restarted; load resumed. No transaction
/// whose reply a client accepted may be missing from any ledger afterwards.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private const int Streams = 16;
    private const int KillAfter = 400;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("weak")]
    [InlineData("strong")]
    public async Task All_four_replicas_killed_at_once_under_load_lose_no_accepted_transaction(string persistence)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        (string net, GenesisDocument genesis, Ed25519KeyPair[] minters) = await TestnetSetup.InitAsync(_dir.Path, persistence, Streams);
        var wallets = minters.Select(k => new CoinWallet(genesis.ChainId, k)).ToArray();
        var accepted = new ConcurrentDictionary<Hash256, byte>();
        var submitted = new List<SignedRequest>();
        try
        {
            // Independent streams (one minter key each, one request outstanding per stream) keep replies coming in
            // continuously, so the kill lands with requests in flight everywhere.
            await StartAsync(net);
            var inFlight = new SignedRequest?[Streams];
            await using (LoadClients before = await LoadClients.ConnectAsync(genesis, Streams, timeout.Token))
            {
                using var killed = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                Task load = before.RunStreamsAsync(wallets, int.MaxValue, inFlight, submitted, accepted, killed.Token);
                while (accepted.Count < KillAfter)
                {
                    await before.Progress.WaitAsync(timeout.Token);
                }

                Assert.Equal(4, await KillAllAsync(net, timeout.Token));
                int atKill = accepted.Count;
                await killed.CancelAsync();
                await load;
                output.WriteLine($"killed all 4 replicas with {atKill} transactions accepted and {inFlight.Count(r => r is not null)} in flight");
            }

            await StartAsync(net);
            await using (LoadClients after = await LoadClients.ConnectAsync(genesis, Streams, timeout.Token))
            {
                // What was in flight is sent again (already in the ledger: answered from the rebuilt reply cache; if
                // not, ordered now); then every stream goes on.
                await after.RunStreamsAsync(wallets, 20, inFlight, submitted, accepted, timeout.Token);
            }
        }
        finally
        {
            CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
            Assert.True(stop.ExitCode == 0, stop.Error);
            Array.ForEach(minters, k => k.Dispose());
        }

        string[] dataDirs = [.. Enumerable.Range(0, 4).Select(i => Path.Combine(net, $"node{i}", "data"))];
        foreach (VerifyReport report in LedgerAssert.VerifiedAndIdentical(genesis, dataDirs))
        {
            output.WriteLine(report.ToString());
        }

        Assert.Equal(submitted.Count, accepted.Count); // after the restart, every transaction was accepted
        foreach (string dataDir in dataDirs)
        {
            HashSet<Hash256> ordered = LedgerAssert.EntryDigests(dataDir);
            Assert.All(accepted.Keys, digest => Assert.Contains(digest, ordered));
        }
    }

    private static async Task StartAsync(string net)
    {
        CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
        Assert.True(start.ExitCode == 0, start.Output + start.Error);
    }

    // SIGKILL, all four back to back; then await each one's exit.
    private static async Task<int> KillAllAsync(string net, CancellationToken cancellationToken)
    {
        Process[] processes = [.. Enumerable.Range(0, 4).Select(i =>
            Process.GetProcessById(int.Parse(File.ReadAllText(Path.Combine(net, $"node{i}", "node.pid")).Trim(), CultureInfo.InvariantCulture)))];
        foreach (Process process in processes)
        {
            process.Kill();
        }

        int exited = 0;
        foreach (Process process in processes)
        {
            using (process)
            {
                await process.WaitForExitAsync(cancellationToken);
                exited += process.HasExited ? 1 : 0;
            }
        }

        return exited;
    }

    /// <summary>A few clients sharing the work; every accepted reply's digest is recorded.</summary>
    private sealed class LoadClients : IAsyncDisposable
    {
        private readonly List<ChainClient> _clients;
        private readonly List<Ed25519KeyPair> _identities;

        private LoadClients(List<ChainClient> clients, List<Ed25519KeyPair> identities)
        {
            _clients = clients;
            _identities = identities;
        }

        /// <summary>Signalled each time a reply is accepted.</summary>
        public SemaphoreSlim Progress { get; } = new(0);

        public static async Task<LoadClients> ConnectAsync(GenesisDocument genesis, int count, CancellationToken ct)
        {
            var identities = Enumerable.Range(0, count).Select(_ => Ed25519KeyPair.Generate()).ToList();
            var clients = new List<ChainClient>();
            foreach (Ed25519KeyPair identity in identities)
            {
                clients.Add(await ChainClient.ConnectAsync(genesis, identity, null, ct));
            }

            return new LoadClients(clients, identities);
        }

        /// <summary>
        /// Each stream first sends again what it had in flight, then up to <paramref name="count"/> new MINTs, one at a
        /// time, until cancelled. <paramref name="inFlight"/>[i] is stream i's unanswered request, if any.
        /// </summary>
        public async Task RunStreamsAsync(CoinWallet[] wallets, int count, SignedRequest?[] inFlight, List<SignedRequest> submitted,
            ConcurrentDictionary<Hash256, byte> accepted, CancellationToken ct)
        {
            await Task.WhenAll(wallets.Select(async (wallet, i) =>
            {
                try
                {
                    for (int n = 0; n < count; n++)
                    {
                        SignedRequest request = inFlight[i] ?? wallet.Mint([new CoinOutput(wallet.Address, 1 + (ulong)n)]);
                        if (inFlight[i] is null)
                        {
                            lock (submitted)
                            {
                                submitted.Add(request);
                            }

                            inFlight[i] = request;
                        }
                        else
                        {
                            n--; // a resend is not one of the new ones
                        }

                        ReplyMessage reply = await _clients[i].SubmitAsync(request, ct);
                        Assert.True(reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate, $"{reply.Status}: {System.Text.Encoding.UTF8.GetString(reply.Result.Span)}");
                        Assert.Equal(CoinResultCode.Ok, CoinResult.Decode(reply.Result.Span).Code);
                        accepted.TryAdd(request.Digest, 0);
                        inFlight[i] = null;
                        Progress.Release();
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or ChainClientException && ct.IsCancellationRequested)
                {
                    // Its replicas died before replying: not accepted, still in flight.
                }
            }));
        }

        public async ValueTask DisposeAsync()
        {
            foreach (ChainClient client in _clients)
            {
                await client.DisposeAsync();
            }

            _identities.ForEach(k => k.Dispose());
            Progress.Dispose();
        }
    }
}
