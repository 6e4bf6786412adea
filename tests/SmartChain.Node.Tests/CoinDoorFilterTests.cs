using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>Issue 14, point 6 (the client table): SPENDs from keys that own nothing are refused at the door, not ordered.</summary>
public class CoinDoorFilterTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_spend_from_a_key_that_owns_nothing_is_refused_before_ordering_and_owners_still_pipeline()
    {
        await using var net = new InProcessNetwork();
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)6, 32).ToArray());
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout());

        // Before the filter, each such SPEND was ordered (UnknownCoin) and left its fresh key in the client table forever.
        for (int i = 0; i < 3; i++)
        {
            using var stranger = Ed25519KeyPair.Generate();
            ReplyMessage refused = await client.SubmitAsync(
                SignedRequest.Create(net.Chain, stranger, 1, 0, CoinOperation.Spend([Hash256.Compute([(byte)i])], [new CoinOutput(alice.PublicKey, 1)]).Encode()), Timeout());
            Assert.Equal(ReplyStatus.Rejected, refused.Status);
            Assert.Contains("owns no coin", System.Text.Encoding.UTF8.GetString(refused.Result.Span), StringComparison.Ordinal);
        }

        // A key that owns a coin may pipeline: the second SPEND uses the change of the first, still pending when sent.
        var minter = new CoinWallet(net.Chain, net.Minter);
        ReplyMessage minted = await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 10)]), Timeout());
        Assert.Equal(1, minted.Instance); // nothing was ordered before: the strangers' SPENDs never reached a batch
        var wallet = new CoinWallet(net.Chain, alice);
        wallet.AddCoin(CoinResult.Decode(minted.Result.Span).CreatedCoins[0], 10);
        using var bob = Ed25519KeyPair.Generate();
        SignedRequest first = wallet.Pay(bob.PublicKey, 4);
        SignedRequest second = wallet.Spend([CoinIds.Derive(first.Digest, 1)], [new CoinOutput(bob.PublicKey, 6)]);
        ReplyMessage[] replies = await Task.WhenAll(client.SubmitAsync(first, Timeout()), client.SubmitAsync(second, Timeout()));
        Assert.All(replies, r => Assert.Equal((ReplyStatus.Executed, CoinResultCode.Ok), (r.Status, CoinResult.Decode(r.Result.Span).Code)));
    }

    // The door filter judges a request against the state after its own execution when the request is a retransmission
    // (a client resends after a dropped link). It must be answered as decided (Duplicate, the cached reply), never
    // Rejected: a client that took a Q of such refusals would report a transaction as refused that was executed.
    [Fact]
    public async Task A_spend_sent_again_after_it_emptied_its_issuer_is_answered_duplicate_not_refused_at_the_door()
    {
        await using var net = new InProcessNetwork();
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout());
        var minter = new CoinWallet(net.Chain, net.Minter);
        ReplyMessage minted = await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 10)]), Timeout());
        var wallet = new CoinWallet(net.Chain, alice);
        wallet.AddCoin(CoinResult.Decode(minted.Result.Span).CreatedCoins[0], 10);
        using var bob = Ed25519KeyPair.Generate();
        SignedRequest all = wallet.Pay(bob.PublicKey, 10); // no change: alice owns nothing once it is executed
        ReplyMessage paid = await client.SubmitAsync(all, Timeout());
        Assert.Equal((ReplyStatus.Executed, CoinResultCode.Ok), (paid.Status, CoinResult.Decode(paid.Result.Span).Code));
        await net.SettleAsync(Timeout()); // every replica has executed it: each one's door now sees alice owning nothing

        // Executed too: the fourth replica's answer to the first send may arrive now, and the client takes it.
        ReplyMessage again = await client.SubmitAsync(all, Timeout());
        Assert.True(again.Status is ReplyStatus.Duplicate or ReplyStatus.Executed, $"{again.Status}: {System.Text.Encoding.UTF8.GetString(again.Result.Span)}");
        Assert.Equal((paid.Instance, CoinResultCode.Ok), (again.Instance, CoinResult.Decode(again.Result.Span).Code));
    }
}
