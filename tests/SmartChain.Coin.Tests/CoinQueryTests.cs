using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Tests;

public sealed class CoinQueryTests : IDisposable
{
    private readonly CoinFixture _f = new();

    public void Dispose() => _f.Dispose();

    private Task<ReadOnlyMemory<byte>> Ask(byte[] query, CancellationToken _) => Task.FromResult<ReadOnlyMemory<byte>>(_f.App.Query(query));

    private void MintMany(Ed25519KeyPair owner, int transactions)
    {
        for (int t = 0; t < transactions; t++)
        {
            _f.Mint(owner, [.. Enumerable.Range(1, CoinLimits.MaxOutputs).Select(v => (ulong)v)]);
        }
    }

    [Fact]
    public async Task Coins_come_in_bounded_pages_whose_union_is_exactly_the_owners_coins()
    {
        MintMany(_f.Alice, 40); // 2,560 coins: three pages
        MintMany(_f.Bob, 2);

        byte[] first = _f.App.Query(CoinQuery.CoinsOf(_f.Alice.PublicKey));
        CoinPage page = CoinQuery.DecodePage(first);
        Assert.Equal(CoinQuery.MaxPageCoins, page.Coins.Count);
        Assert.Equal(page.Coins[^1].Id, page.Next);
        Assert.Equal(4 + (CoinQuery.MaxPageCoins * 40) + 1, first.Length);

        IReadOnlyList<(Hash256 Id, ulong Value)> all = await CoinQuery.ListAsync(Ask, _f.Alice.PublicKey, CancellationToken.None);
        foreach ((Hash256 id, ulong value) in all)
        {
            Assert.True(_f.App.TryGetCoin(id, out CoinOutput coin));
            Assert.Equal(new CoinOutput(_f.Alice.PublicKey, value), coin);
        }

        Assert.Equal(40 * CoinLimits.MaxOutputs, all.Count);
        Assert.Equal(all.Select(c => c.Id).Order(), all.Select(c => c.Id));
        Assert.Equal(_f.App.CoinCount - (2 * CoinLimits.MaxOutputs), all.Count);

        (int count, UInt128 total) = CoinQuery.DecodeBalance(_f.App.Query(CoinQuery.BalanceOf(_f.Alice.PublicKey)));
        Assert.Equal((all.Count, (UInt128)(40 * 2080)), (count, total));
        Assert.Equal((0, UInt128.Zero), CoinQuery.DecodeBalance(_f.App.Query(CoinQuery.BalanceOf(_f.Carol.PublicKey))));
        Assert.Empty(CoinQuery.DecodePage(_f.App.Query(CoinQuery.CoinsOf(_f.Carol.PublicKey))).Coins);

        // A cursor past the last coin (or between coins) continues from the next larger id.
        CoinPage past = CoinQuery.DecodePage(_f.App.Query(CoinQuery.CoinsOf(_f.Alice.PublicKey, all[^1].Id)));
        Assert.Equal((0, (Hash256?)null), (past.Coins.Count, past.Next));
    }

    [Fact]
    public void Spent_coins_leave_the_pages_and_the_balance_and_a_restored_snapshot_answers_alike()
    {
        IReadOnlyList<Hash256> coins = _f.Mint(_f.Alice, 7, 5);
        Assert.Equal(CoinResultCode.Ok, _f.Run(_f.Alice, CoinOperation.Spend(coins, [new CoinOutput(_f.Bob.PublicKey, 9), new CoinOutput(_f.Alice.PublicKey, 3)])).Code);
        Assert.Equal((1, (UInt128)3), CoinQuery.DecodeBalance(_f.App.Query(CoinQuery.BalanceOf(_f.Alice.PublicKey))));
        Assert.Equal([9UL], CoinQuery.DecodeCoins(_f.App.Query(CoinQuery.CoinsOf(_f.Bob.PublicKey))).Select(c => c.Value));

        var restored = new CoinApplication(CoinFixture.Chain, [_f.Minter.PublicKey]);
        restored.RestoreSnapshot(_f.App.TakeSnapshot());
        foreach (Ed25519KeyPair owner in (Ed25519KeyPair[])[_f.Alice, _f.Bob, _f.Carol])
        {
            Assert.Equal(_f.App.Query(CoinQuery.CoinsOf(owner.PublicKey)), restored.Query(CoinQuery.CoinsOf(owner.PublicKey)));
            Assert.Equal(_f.App.Query(CoinQuery.BalanceOf(owner.PublicKey)), restored.Query(CoinQuery.BalanceOf(owner.PublicKey)));
        }
    }

    [Fact]
    public async Task Queries_on_another_thread_see_only_whole_batches_while_execution_goes_on()
    {
        // Each batch mints 10 coins of 1 to Alice; a reader must never see a total that is not a multiple of 10.
        using var stop = new CancellationTokenSource();
        var seen = new List<UInt128>();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                seen.Add(CoinQuery.DecodeBalance(_f.App.Query(CoinQuery.BalanceOf(_f.Alice.PublicKey))).Total);
                reading.TrySetResult();
            }
        });
        await reading.Task;

        for (int b = 0; b < 300; b++)
        {
            SignedRequest[] batch = [.. Enumerable.Range(0, 10).Select(_ => _f.Sign(_f.Minter, CoinOperation.Mint([new CoinOutput(_f.Alice.PublicKey, 1)])))];
            _f.App.ExecuteBatch(new BatchContext(b + 1, b + 1), batch);
        }

        stop.Cancel();
        await reader;
        Assert.Contains(seen, total => total > 0 && total < 3000); // it did read while execution went on
        Assert.All(seen, total => Assert.Equal(UInt128.Zero, total % 10));
        Assert.Equal((UInt128)3000, CoinQuery.DecodeBalance(_f.App.Query(CoinQuery.BalanceOf(_f.Alice.PublicKey))).Total);
    }

    [Fact]
    public void The_door_filter_refuses_a_spend_only_from_a_key_that_owns_no_coin()
    {
        SignedRequest strangers = _f.Sign(_f.Carol, CoinOperation.Spend([Hash256.Compute("nope"u8)], [new CoinOutput(_f.Bob.PublicKey, 1)]));
        Assert.Contains("owns no coin", _f.App.Admit(strangers), StringComparison.Ordinal);
        Assert.Null(_f.App.Admit(_f.Sign(_f.Minter, CoinOperation.Mint([new CoinOutput(_f.Carol.PublicKey, 2)]))));
        Assert.Null(_f.App.Admit(_f.Sign(_f.Carol, [9, 9]))); // not a SPEND: CheckTx says what is wrong with it

        // Owning one coin is enough, whatever the inputs: a client may spend outputs of its own pending SPEND.
        Hash256 coin = _f.Mint(_f.Carol, 2)[0];
        Assert.Null(_f.App.Admit(strangers));
        Assert.Equal(CoinResultCode.Ok, _f.Run(_f.Carol, CoinOperation.Spend([coin], [new CoinOutput(_f.Bob.PublicKey, 2)])).Code);
        Assert.NotNull(_f.App.Admit(strangers)); // spent everything: refused again
    }

    public static TheoryData<string, byte[]> MalformedQueries => new()
    {
        { "empty", [] },
        { "unknown kind", [9, .. new byte[32]] },
        { "short owner", [1, .. new byte[31]] },
        { "trailing byte", [1, .. new byte[33]] },
        { "next page without cursor", [2, .. new byte[32]] },
    };

    [Theory]
    [MemberData(nameof(MalformedQueries))]
    public void Malformed_queries_and_answers_are_refused(string what, byte[] query)
    {
        _ = what;
        Assert.Throws<EncodingException>(() => _f.App.Query(query));
        Assert.Throws<EncodingException>(() => CoinQuery.DecodePage([]));
        Assert.Throws<EncodingException>(() => CoinQuery.DecodePage([0, 0, 0, 0, 1])); // "more" without coins
        Assert.Throws<EncodingException>(() => CoinQuery.DecodePage([1, 4, 0, 0, 0, 0])); // count above the page limit
    }
}
