using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>SMaRtCoin under the platform tests: a write is a MINT of 10 to the owner; reading is the owner's balance.</summary>
public sealed class CoinTestApplication : TestApplication
{
    private const ulong Value = 10;

    /// <inheritdoc />
    public override ApplicationFactory Factory { get; } = g => CoinApplication.ForGenesis(g);

    /// <inheritdoc />
    public override Func<SignedRequest> Writer(InProcessNetwork net, Ed25519KeyPair owner)
    {
        var minter = new CoinWallet(net.Chain, net.Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        Ed25519PublicKey to = owner.PublicKey;
        return () => minter.Mint([new CoinOutput(to, Value)]);
    }

    /// <inheritdoc />
    public override void AssertApplied(ReplyMessage reply) => Assert.Equal(CoinResultCode.Ok, CoinResult.Decode(reply.Result.Span).Code);

    /// <inheritdoc />
    public override async Task<ulong> WritesAsync(ChainClient client, Ed25519PublicKey owner, CancellationToken cancellationToken)
    {
        QueryResultMessage answer = await client.QueryAsync(CoinQuery.BalanceOf(owner), cancellationToken);
        (_, UInt128 total) = CoinQuery.DecodeBalance(answer.Body.Span);
        return (ulong)(total / Value);
    }
}
