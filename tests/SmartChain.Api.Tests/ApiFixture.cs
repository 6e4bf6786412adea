using Microsoft.Extensions.Logging.Abstractions;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Node.Api;

namespace SmartChain.Api.Tests;

/// <summary>
/// Four real replicas in this process (real TCP on 127.0.0.1, files with fsync, Ed25519) and the HTTP API of replica 0
/// on a free port, shared by the tests of a class.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public InProcessNetwork Network { get; } = new();

    public ReplicaApi Node { get; private set; } = null!;

    public ApiServer Server { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public CoinWallet Minter { get; private set; } = null!;

    public Ed25519KeyPair Holder { get; } = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)42, 32).ToArray());

    public async Task InitializeAsync()
    {
        Node = ReplicaApi.Start(Network.Hosts[0]!, NullLoggerFactory.Instance);
        // Every test asks from 127.0.0.1, many at once: one source far above a user's rate (BadInputTests tests the limits).
        Server = await ApiServer.StartAsync(Node, ApiServerOptions.Default with { Listen = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0), RequestsPerSecondPerSource = 1_000, BurstPerSource = 2_000, Application = new Coin.Api.CoinApiEndpoints() },
            NullLoggerFactory.Instance);
        Http = new HttpClient { BaseAddress = Server.Address, Timeout = TimeSpan.FromSeconds(30) };
        Minter = new CoinWallet(Network.Chain, Network.Minter);
    }

    /// <summary>A signed MINT of the given values to <see cref="Holder"/>.</summary>
    public Core.Requests.SignedRequest Mint(params ulong[] values) => Minter.Mint([.. values.Select(v => new CoinOutput(Holder.PublicKey, v))]);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await Node.DisposeAsync();
        await Network.DisposeAsync();
        Holder.Dispose();
    }
}
