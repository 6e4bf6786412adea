using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>A client keeps every replica it can reach: one down when it connected, or one that restarted, comes back.</summary>
public class ClientReconnectTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_client_links_again_to_a_replica_that_was_down_when_it_connected_and_to_one_that_restarted()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak);
        await net.StopAsync(3);
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)21, 32).ToArray());
        var options = ClientOptions.Default with { ReconnectInterval = TimeSpan.FromMilliseconds(100), ConnectTimeout = TimeSpan.FromSeconds(2) };
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, options, Timeout());
        Assert.DoesNotContain(3, client.ConnectedReplicas);

        net.Start(3);
        await AnsweredByAsync(client, [0, 1, 2, 3]);

        await net.StopAsync(2);
        net.Start(2);
        await AnsweredByAsync(client, [0, 1, 2, 3]);

        var minter = new CoinWallet(net.Chain, net.Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 1)]), Timeout())).Status);
    }

    // Each round waits for every linked replica's answer (up to 1 s); returns once all of `replicas` answered one.
    private static async Task AnsweredByAsync(ChainClient client, int[] replicas)
    {
        CancellationToken deadline = Timeout();
        while (true)
        {
            IReadOnlyDictionary<int, QueryResultMessage> answers = await client.QueryEachAsync(ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(1), deadline);
            if (replicas.All(answers.ContainsKey))
            {
                return;
            }
        }
    }
}
