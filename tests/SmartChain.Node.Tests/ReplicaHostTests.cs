using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

public class ReplicaHostTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Four_replicas_order_mint_and_spend_and_answer_queries_alike()
    {
        await using var net = new InProcessNetwork();
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)1, 32).ToArray());
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout());
        Assert.Equal(4, client.ConnectedReplicas.Count);

        var minter = new CoinWallet(net.Chain, net.Minter);
        SignedRequest mint = minter.Mint([new CoinOutput(alice.PublicKey, 70), new CoinOutput(alice.PublicKey, 30)]);
        ReplyMessage minted = await client.SubmitAsync(mint, Timeout());
        Assert.Equal(ReplyStatus.Executed, minted.Status);
        Assert.Equal(CoinResultCode.Ok, CoinResult.Decode(minted.Result.Span).Code);

        QueryResultMessage coins = await client.QueryAsync(CoinQuery.CoinsOf(alice.PublicKey), Timeout());
        var wallet = new CoinWallet(net.Chain, alice);
        foreach ((Hash256 id, ulong value) in CoinQuery.DecodeCoins(coins.Body.Span))
        {
            wallet.AddCoin(id, value);
        }

        Assert.Equal(100UL, wallet.Balance);
        using var bob = Ed25519KeyPair.Generate();
        ReplyMessage spent = await client.SubmitAsync(wallet.Pay(bob.PublicKey, 80), Timeout());
        Assert.Equal(CoinResultCode.Ok, CoinResult.Decode(spent.Result.Span).Code);
        Assert.True(spent.Instance > minted.Instance);

        IReadOnlyList<(Hash256 Id, ulong Value)> bobs = CoinQuery.DecodeCoins((await client.QueryAsync(CoinQuery.CoinsOf(bob.PublicKey), Timeout())).Body.Span);
        Assert.Equal([80UL], bobs.Select(c => c.Value));

        // The same request again is answered from the reply cache, never executed twice.
        ReplyMessage again = await client.SubmitAsync(mint, Timeout());
        Assert.Equal((ReplyStatus.Duplicate, minted.Instance), (again.Status, again.Instance));

        // In strong mode with its receipt, read back from the certified block: it proves the payment as the first did.
        Assert.False(again.Receipt.IsEmpty, "a repeated request's Duplicate reply came without its receipt");
        TransactionReceipt receipt = TransactionReceipt.Decode(again.Receipt.Span);
        Assert.Null(receipt.Verify(net.Genesis.InitialView, net.Genesis.ChainId));
        Assert.Equal(mint.Digest, Hash256.Compute(receipt.Entry.Span));

        // A request from a non-minter is refused before ordering by every replica alike.
        ReplyMessage refused = await client.SubmitAsync(SignedRequest.Create(net.Chain, alice, 1, 0, CoinOperation.Mint([new CoinOutput(alice.PublicKey, 5)]).Encode()), Timeout());
        Assert.Equal(ReplyStatus.Rejected, refused.Status);
        Assert.Contains("not a minter", System.Text.Encoding.UTF8.GetString(refused.Result.Span), StringComparison.Ordinal);

        await client.DisposeAsync();
        await net.SettleAsync(Timeout());
        await net.StopAsync();
        AssertVerifiedLedgers(net);
    }

    // The platform's part alone, for each application: ordering, the reply cache, queries answered alike by every
    // replica, and ledgers that verify from genesis (replayed with that application) and agree.
    [Theory]
    [MemberData(nameof(TestApplication.Names), MemberType = typeof(TestApplication))]
    public async Task Four_replicas_order_writes_answer_queries_alike_and_hold_identical_verified_ledgers(string application)
    {
        TestApplication app = TestApplication.Named(application);
        await using var net = new InProcessNetwork(application: app.Factory);
        using Ed25519KeyPair owner = TestApplication.Key(21);
        Func<SignedRequest> write = app.Writer(net, owner);
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, owner, null, Timeout());
        SignedRequest first = write();
        ReplyMessage firstReply = await client.SubmitAsync(first, Timeout());
        Assert.Equal(ReplyStatus.Executed, firstReply.Status);
        app.AssertApplied(firstReply);
        long previous = firstReply.Instance;
        for (int i = 0; i < 4; i++)
        {
            ReplyMessage reply = await client.SubmitAsync(write(), Timeout());
            Assert.Equal(ReplyStatus.Executed, reply.Status);
            app.AssertApplied(reply);
            Assert.True(reply.Instance > previous, $"write {i + 2} decided in instance {reply.Instance}, after {previous}");
            previous = reply.Instance;
        }

        Assert.Equal(5UL, await app.WritesAsync(client, owner.PublicKey, Timeout()));
        ReplyMessage again = await client.SubmitAsync(first, Timeout());
        Assert.Equal((ReplyStatus.Duplicate, firstReply.Instance), (again.Status, again.Instance));

        await client.DisposeAsync();
        await net.SettleAsync(Timeout());
        await net.StopAsync();
        AssertVerifiedLedgers(net);
    }

    internal static void AssertVerifiedLedgers(InProcessNetwork net) =>
        LedgerAssert.VerifiedAndIdentical(net.Genesis, Enumerable.Range(0, 4).Select(net.DataDir), net.Application);
}
