using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Node.Tests;

public class ClientTimeoutTests
{
    [Fact]
    public async Task A_request_that_cannot_gather_a_quorum_times_out_naming_what_each_replica_answered()
    {
        await using var net = new InProcessNetwork();
        using var alice = Ed25519KeyPair.Generate();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice,
            new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(2) }, timeout.Token);

        // Two of four replicas gone: no quorum of 3 can form, so nothing is decided.
        await net.Hosts[2]!.DisposeAsync();
        await net.Hosts[3]!.DisposeAsync();
        SignedRequest mint = SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(alice.PublicKey, 1)]).Encode());
        ChainClientException e = await Assert.ThrowsAsync<ChainClientException>(() => client.SubmitAsync(mint, timeout.Token));

        Assert.Contains("no 3 matching answers within 2 s", e.Message, StringComparison.Ordinal);
        Assert.Contains("replica 2: no answer", e.Message, StringComparison.Ordinal);
        Assert.Contains("replica 3: no answer", e.Message, StringComparison.Ordinal);
        Assert.Matches("replicas now: replica 0: view [0-9]+, executed [0-9]+, block [0-9]+, regency [0-9]+, leader [0-9]+", e.Message);
    }

    [Fact]
    public async Task Connecting_without_a_quorum_of_reachable_replicas_fails_naming_each_one()
    {
        await using var net = new InProcessNetwork();
        await net.Hosts[1]!.DisposeAsync();
        await net.Hosts[2]!.DisposeAsync();
        using var alice = Ed25519KeyPair.Generate();
        ChainClientException e = await Assert.ThrowsAsync<ChainClientException>(() =>
            ChainClient.ConnectAsync(net.Genesis, alice, new ClientOptions { ConnectTimeout = TimeSpan.FromSeconds(5) }, CancellationToken.None));
        Assert.Contains("reached 2 of the 4 replicas of view 0 (n=4, f=1, Q=3); 3 are needed", e.Message, StringComparison.Ordinal);
        Assert.Contains("replica 1 at 127.0.0.1:", e.Message, StringComparison.Ordinal);
    }
}
