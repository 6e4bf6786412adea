using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>Load for in-process networks: MINTs one after another, each executed before the next is sent.</summary>
internal static class Minting
{
    /// <summary>
    /// <paramref name="count"/> MINTs of 10 to the key seeded by <paramref name="seed"/>, each given
    /// <paramref name="seconds"/> to be executed.
    /// </summary>
    public static async Task MintAsync(InProcessNetwork net, byte seed, int count, int seconds = 60)
    {
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat(seed, 32).ToArray());
        var minter = new CoinWallet(net.Chain, net.Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Within(seconds));
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 10)]), Within(seconds))).Status);
        }
    }

    private static CancellationToken Within(int seconds) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
