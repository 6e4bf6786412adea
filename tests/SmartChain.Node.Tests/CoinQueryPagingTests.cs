using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>Issue 14, point 1: a coin holder's query must never stop execution, however many coins it holds.</summary>
public class CoinQueryPagingTests
{
    private static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task A_holder_of_more_coins_than_one_reply_holds_is_answered_in_pages_and_execution_goes_on()
    {
        // More coins than the largest reply body, each of value 1 (valid whether or not zero values are refused): about
        // 420,000 coins from 6,556 MINTs, which is what makes this test take ~20 s; fewer would not have failed before.
        int mints = (QueryResultMessage.MaxBodyBytes / ((Hash256.Size + 8) * CoinLimits.MaxOutputs)) + 2;
        await using var net = new InProcessNetwork(persistence: Core.Genesis.PersistenceMode.Weak, consensus: Core.Genesis.ConsensusParameters.Default with { MaxBatch = 1024 });
        using var holder = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)5, 32).ToArray());
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, holder, null, Timeout());
        var minter = new CoinWallet(net.Chain, net.Minter);
        CoinOutput[] outputs = [.. Enumerable.Repeat(new CoinOutput(holder.PublicKey, 1), CoinLimits.MaxOutputs)];
        SignedRequest[] requests = [.. Enumerable.Range(0, mints).Select(_ => minter.Mint(outputs))];
        const int Window = 512; // below the pool's per-client limit
        for (int start = 0; start < requests.Length; start += Window)
        {
            ReplyMessage[] replies = await Task.WhenAll(requests.Skip(start).Take(Window).Select(r => client.SubmitAsync(r, Timeout())));
            Assert.All(replies, r => Assert.True(r.Status is ReplyStatus.Executed or ReplyStatus.Duplicate, $"{r.Status}")); // a resent request is answered from the reply cache
        }

        // Before paging, encoding this answer threw on the execution loop of every replica.
        _ = await client.QueryEachAsync(CoinQuery.CoinsOf(holder.PublicKey), TimeSpan.FromSeconds(5), Timeout());
        QueryResultMessage first = await client.QueryAsync(CoinQuery.CoinsOf(holder.PublicKey), Timeout());
        Assert.True(first.Body.Length <= (CoinQuery.MaxPageCoins * (Hash256.Size + 8)) + 5, $"a page of {first.Body.Length} bytes");
        Assert.Equal(CoinQuery.MaxPageCoins, CoinQuery.DecodePage(first.Body.Span).Coins.Count);

        IReadOnlyList<(Hash256 Id, ulong Value)> listed = await CoinQuery.ListAsync(
            async (query, ct) => (await client.QueryAsync(query, ct)).Body, holder.PublicKey, Timeout());
        int expected = mints * CoinLimits.MaxOutputs;
        Assert.Equal(expected, listed.Count);
        Assert.Equal(requests.SelectMany(r => Enumerable.Range(0, CoinLimits.MaxOutputs).Select(i => CoinIds.Derive(r.Digest, i))).Order(), listed.Select(c => c.Id));
        Assert.All(listed, c => Assert.Equal(1UL, c.Value));
        (int count, UInt128 total) = CoinQuery.DecodeBalance((await client.QueryAsync(CoinQuery.BalanceOf(holder.PublicKey), Timeout())).Body.Span);
        Assert.Equal((expected, (UInt128)expected), (count, total));

        // The regression proper: execution goes on after the largest queries.
        ReplyMessage after = await client.SubmitAsync(minter.Mint([new CoinOutput(holder.PublicKey, 7)]), Timeout(15));
        Assert.Equal(ReplyStatus.Executed, after.Status);
    }
}
