using System.Globalization;
using System.Text.Json;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Nemesis.History;
using SmartChain.Network.Client;

namespace SmartChain.Nemesis.Load;

/// <summary>
/// The clients of a nemesis run. Every operation is recorded in the history as invoke, then ok, fail or unknown; an
/// unknown one is sent again, the same signed request (same transaction id), until a quorum answers, so a stream always
/// learns what became of its coins. SPEND streams pay each other and keep their change; a MINT stream mints now and
/// then; and a small share of SPENDs are double-spend attempts, two conflicting SPENDs of the same coins at once, of
/// which at most one may succeed. Every second the replicas' status (leader, regency, view, executed instance) is
/// written to a file for the fault scheduler.
/// </summary>
public sealed class NemesisLoad
{
    private readonly LoadOptions _options;
    private readonly HistoryWriter _history;
    private readonly string? _statusFile;
    private readonly Ed25519KeyPair[] _wallets;
    private ulong _mintSequence;

    /// <summary>Clients for <paramref name="options"/>, recording into <paramref name="history"/>, the replicas' status into <paramref name="statusFile"/>.</summary>
    public NemesisLoad(LoadOptions options, HistoryWriter history, string? statusFile)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _history = history;
        _statusFile = statusFile;
        var seeds = new SplitMix64(options.Seed);
        _wallets = new Ed25519KeyPair[options.SpendStreams];
        for (int i = 0; i < _wallets.Length; i++)
        {
            byte[] key = new byte[32];
            for (int b = 0; b < 32; b += 8)
            {
                BitConverter.TryWriteBytes(key.AsSpan(b), seeds.Next());
            }

            _wallets[i] = Ed25519KeyPair.FromSeed(key);
        }
    }

    /// <summary>Runs until <paramref name="stop"/> fires; the setup MINTs first.</summary>
    public async Task RunAsync(TextWriter log, CancellationToken stop)
    {
        int clientCount = (_wallets.Length + _options.StreamsPerClient - 1) / _options.StreamsPerClient;
        var clients = new List<ChainClient>();
        try
        {
            for (int c = 0; c < clientCount + 1; c++)
            {
                using Ed25519KeyPair identity = Ed25519KeyPair.Generate();
                clients.Add(await ChainClient.ConnectAsync(_options.Genesis, identity,
                    new ClientOptions { RequestTimeout = _options.RequestTimeout, Peers = _options.Peers }, stop));
            }

            ChainClient control = clients[^1];
            (Hash256 Id, ulong Value)[][] start = await SetupAsync(control, stop);
            log.WriteLine($"minted the first coins of {_wallets.Length} wallets; load running");
            var tasks = new List<Task>
            {
                MintStreamAsync(control, stop),
                StatusLoopAsync(control, stop),
            };
            for (int i = 0; i < _wallets.Length; i++)
            {
                var stream = new SpendStream(this, i, clients[i / _options.StreamsPerClient], start[i], new SplitMix64(_options.Seed ^ (ulong)(i + 1) * 0x9E3779B97F4A7C15UL));
                tasks.Add(stream.RunAsync(stop));
            }

            await Task.WhenAll(tasks);
        }
        finally
        {
            foreach (ChainClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>The public key of wallet <paramref name="index"/>.</summary>
    internal Ed25519PublicKey Wallet(int index) => _wallets[index].PublicKey;

    internal Ed25519KeyPair WalletKey(int index) => _wallets[index];

    internal int Wallets => _wallets.Length;

    internal LoadOptions Options => _options;

    /// <summary>
    /// Sends <paramref name="request"/> until a quorum answers (or <paramref name="stop"/>), recording each attempt:
    /// an invoke, then ok / fail / unknown.
    /// </summary>
    internal async Task<Submission> UntilDefinitiveAsync(ChainClient client, int process, OperationKind kind, SignedRequest request, CancellationToken stop)
    {
        CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? op, out _);
        var invoke = new HistoryRecord(OperationOutcome.Invoke, process, kind, request.Digest, 0)
        {
            Inputs = op!.Inputs,
            Created = [.. Enumerable.Range(0, op.Outputs.Count).Select(i => CoinIds.Derive(request.Digest, i))],
        };
        while (true)
        {
            double started = _history.NowMs;
            _history.Add(invoke with { TimeMs = started });
            Submission outcome;
            try
            {
                outcome = new Submission(await client.SubmitAsync(request, stop), null);
            }
            catch (Exception e) when (e is ChainClientException or OperationCanceledException or IOException)
            {
                outcome = new Submission(null, stop.IsCancellationRequested ? "the run ended" : e.Message);
            }

            double now = _history.NowMs;
            var done = invoke with { TimeMs = now, LatencyMs = now - started, Created = [] };
            if (outcome.Ok)
            {
                _history.Add(done with { Outcome = OperationOutcome.Ok, Created = outcome.Result!.CreatedCoins, Block = outcome.Reply!.Block });
                return outcome;
            }

            if (outcome.RejectedInBlock || outcome.Refused)
            {
                string why = outcome.RejectedInBlock ? outcome.Result!.Code.ToString()
                    : $"{outcome.Reply!.Status}: {System.Text.Encoding.UTF8.GetString(outcome.Reply.Result.Span)}";
                _history.Add(done with { Outcome = OperationOutcome.Fail, Ordered = outcome.RejectedInBlock, Error = why });
                return outcome;
            }

            _history.Add(done with { Outcome = OperationOutcome.Unknown, Error = Shorten(outcome.Error) });
            if (stop.IsCancellationRequested)
            {
                return outcome;
            }

            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                return outcome;
            }
        }
    }

    private async Task<(Hash256 Id, ulong Value)[][]> SetupAsync(ChainClient client, CancellationToken stop)
    {
        const ulong startValue = 1_000_000_000;
        var coins = new (Hash256, ulong)[_wallets.Length][];
        const int walletsPerMint = CoinLimits.MaxOutputs / 2;
        for (int first = 0; first < _wallets.Length; first += walletsPerMint)
        {
            int count = Math.Min(walletsPerMint, _wallets.Length - first);
            var outputs = new List<CoinOutput>();
            for (int i = first; i < first + count; i++)
            {
                outputs.Add(new CoinOutput(_wallets[i].PublicKey, startValue));
                outputs.Add(new CoinOutput(_wallets[i].PublicKey, startValue));
            }

            SignedRequest mint = SignedRequest.Create(_options.Genesis.ChainId, _options.Minter, ++_mintSequence, client.KnownInstance, CoinOperation.Mint(outputs).Encode());
            Submission outcome = await UntilDefinitiveAsync(client, _wallets.Length, OperationKind.Mint, mint, stop);
            if (!outcome.Ok)
            {
                throw new InvalidOperationException($"the setup MINT did not succeed: {outcome.Error ?? outcome.Result?.Code.ToString() ?? outcome.Reply?.Status.ToString()}");
            }

            for (int i = first; i < first + count; i++)
            {
                int k = 2 * (i - first);
                coins[i] = [(CoinIds.Derive(mint.Digest, k), startValue), (CoinIds.Derive(mint.Digest, k + 1), startValue)];
            }
        }

        return coins;
    }

    private async Task MintStreamAsync(ChainClient client, CancellationToken stop)
    {
        var random = new SplitMix64(_options.Seed ^ 0x5EED);
        while (!stop.IsCancellationRequested)
        {
            CoinOutput coin = new(_wallets[(int)random.NextBelow((ulong)_wallets.Length)].PublicKey, 1 + random.NextBelow(1000));
            SignedRequest mint = SignedRequest.Create(_options.Genesis.ChainId, _options.Minter, ++_mintSequence, client.KnownInstance, CoinOperation.Mint([coin]).Encode());
            await UntilDefinitiveAsync(client, _wallets.Length, OperationKind.Mint, mint, stop);
            try
            {
                await Task.Delay(_options.MintInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // The scheduler (outside the client namespace) cannot ask the replicas itself: it reads who leads from this file.
    private async Task StatusLoopAsync(ChainClient client, CancellationToken stop)
    {
        if (_statusFile is null)
        {
            return;
        }

        while (!stop.IsCancellationRequested)
        {
            try
            {
                IReadOnlyDictionary<int, QueryResultMessage> answers = await client.QueryEachAsync(CoinQuery.BalanceOf(default), TimeSpan.FromSeconds(1), stop);
                using var buffer = new MemoryStream();
                using (var json = new Utf8JsonWriter(buffer))
                {
                    json.WriteStartObject();
                    json.WriteNumber("t", Math.Round(_history.NowMs));
                    json.WriteNumber("view", client.View.Id);
                    json.WriteString("members", client.View.MemberList);
                    json.WriteStartArray("replicas");
                    foreach ((int id, QueryResultMessage a) in answers.OrderBy(a => a.Key))
                    {
                        json.WriteStartObject();
                        json.WriteNumber("id", id);
                        json.WriteNumber("leader", a.Leader);
                        json.WriteNumber("regency", a.Regency);
                        json.WriteNumber("view", a.ViewId);
                        json.WriteNumber("executed", a.ExecutedInstance);
                        json.WriteNumber("block", a.BlockHeight);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                string temp = _statusFile + ".tmp";
                await File.WriteAllBytesAsync(temp, buffer.ToArray(), stop);
                File.Move(temp, _statusFile, overwrite: true);
                await Task.Delay(1000, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is ChainClientException or IOException)
            {
                // Status is best effort: the scheduler falls back to its last reading.
            }
        }
    }

    private static string? Shorten(string? error) =>
        error is null ? null : error.Length <= 300 ? error : string.Create(CultureInfo.InvariantCulture, $"{error[..300]}…");
}
