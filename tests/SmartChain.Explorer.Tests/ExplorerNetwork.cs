using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using SmartChain.Api;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Node;
using SmartChain.Node.Api;

namespace SmartChain.Explorer.Tests;

/// <summary>
/// Four replica hosts in this process over real TCP on 127.0.0.1, real files with fsync and real signatures, strong
/// persistence, the HTTP API on replica 0, and a MINT load from <see cref="Minters"/> clients that runs until disposed.
/// </summary>
public sealed class ExplorerNetwork : IAsyncDisposable
{
    private const int Minters = 3;
    private readonly TempDirectory _folder;
    private readonly ReplicaHost[] _hosts;
    private readonly ReplicaApi _api;
    private readonly ApiServer _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _load;
    private long _minted;

    private ExplorerNetwork(TempDirectory folder, GenesisDocument genesis, ReplicaHost[] hosts, ReplicaApi api, ApiServer server, Ed25519KeyPair[] minters)
    {
        _folder = folder;
        Genesis = genesis;
        _hosts = hosts;
        _api = api;
        _server = server;
        _load = Task.WhenAll(minters.Select(m => MintLoopAsync(m, _stop.Token)));
    }

    public GenesisDocument Genesis { get; }

    /// <summary>The API's address, e.g. http://127.0.0.1:PORT/ (a secure context for WebCrypto).</summary>
    public Uri Address => _server.Address;

    /// <summary>MINTs the load has had answered.</summary>
    public long Minted => Interlocked.Read(ref _minted);

    /// <summary>A key allowed to MINT that the load does not use (for the test's own transaction).</summary>
    public Ed25519KeyPair Spare { get; private set; } = null!;

    public static async Task<ExplorerNetwork> StartAsync()
    {
        string chain = $"explorer-{Guid.NewGuid():N}"[..20];
        var keys = Enumerable.Range(0, 4).Select(_ => Ed25519KeyPair.Generate()).ToArray();
        var minters = Enumerable.Range(0, Minters + 1).Select(_ => Ed25519KeyPair.Generate()).ToArray();
        int[] ports = TestPorts.Free(9);
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", ports[2 * i], ports[(2 * i) + 1], keys[i].PublicKey)));
        var genesis = new GenesisDocument(chain, PersistenceMode.Strong, view, ConsensusParameters.Default with { MaxBatch = 256 }, 1000, [.. minters.Select(m => m.PublicKey)]);
        var folder = new TempDirectory();
        var hosts = new ReplicaHost[4];
        for (int i = 0; i < 4; i++)
        {
            ReplicaMember m = view.Members[i];
            hosts[i] = ReplicaHost.Start(new NodeConfig(i, "genesis.json", m.ReplicaEndpoint, m.ClientEndpoint, Path.Combine(folder.Path, $"node{i}"), "unused"),
                genesis, keys[i], g => CoinApplication.ForGenesis(g), NullLoggerFactory.Instance);
        }

        ReplicaApi api = ReplicaApi.Start(hosts[0], NullLoggerFactory.Instance);
        // Every page of every test asks from 127.0.0.1: one source far above a user's rate (Api.Tests tests the limits).
        ApiServer server = await ApiServer.StartAsync(api, ApiServerOptions.Default with { Listen = new IPEndPoint(IPAddress.Loopback, ports[8]), RequestsPerSecondPerSource = 1_000, BurstPerSource = 2_000, Application = new Coin.Api.CoinApiEndpoints() }, NullLoggerFactory.Instance);
        return new ExplorerNetwork(folder, genesis, hosts, api, server, minters[..Minters]) { Spare = minters[Minters] };
    }

    private async Task MintLoopAsync(Ed25519KeyPair minter, CancellationToken stop)
    {
        await Task.Yield();
        try
        {
            await using ChainClient client = await ChainClient.ConnectAsync(Genesis, minter, null, stop);
            var wallet = new CoinWallet(Genesis.ChainId, minter);
            while (!stop.IsCancellationRequested)
            {
                await client.SubmitAsync(wallet.Mint([new CoinOutput(minter.PublicKey, 10)]), stop);
                Interlocked.Increment(ref _minted);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _load;
        await _server.DisposeAsync();
        await _api.DisposeAsync();
        foreach (ReplicaHost host in _hosts)
        {
            await host.DisposeAsync();
        }

        _stop.Dispose();
        _folder.Dispose();
    }
}
