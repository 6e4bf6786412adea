using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Tests;

public sealed class CoinRulesTests : IDisposable
{
    private readonly CoinFixture _f = new();

    public void Dispose() => _f.Dispose();

    private static CoinOutput To(Ed25519KeyPair key, ulong value) => new(key.PublicKey, value);

    /// <summary>Runs a transaction that must be rejected with <paramref name="expected"/> and must change nothing.</summary>
    private void AssertRejected(CoinResultCode expected, Ed25519KeyPair signer, byte[] operation)
    {
        byte[] before = _f.App.TakeSnapshot();
        CoinResult result = _f.App.Execute(_f.Sign(signer, operation));
        Assert.Equal(expected, result.Code);
        Assert.Empty(result.CreatedCoins);
        Assert.Equal(before, _f.App.TakeSnapshot());
    }

    private void AssertRejected(CoinResultCode expected, Ed25519KeyPair signer, CoinOperation operation) =>
        AssertRejected(expected, signer, operation.Encode());

    [Fact]
    public void A_minter_mints_coins_with_ids_derived_from_the_transaction()
    {
        SignedRequest mint = _f.Sign(_f.Minter, CoinOperation.Mint([To(_f.Alice, 10), To(_f.Bob, 20)]));
        CoinResult result = _f.App.Execute(mint);

        Assert.Equal(CoinResultCode.Ok, result.Code);
        Assert.Equal([CoinIds.Derive(mint.Digest, 0), CoinIds.Derive(mint.Digest, 1)], result.CreatedCoins);
        Assert.True(_f.App.TryGetCoin(result.CreatedCoins[1], out CoinOutput coin));
        Assert.Equal(To(_f.Bob, 20), coin);
        Assert.Equal((UInt128)30, _f.App.TotalValue);
    }

    [Fact]
    public void Only_minters_mint() => AssertRejected(CoinResultCode.NotMinter, _f.Alice, CoinOperation.Mint([To(_f.Alice, 10)]));

    [Fact]
    public void A_spend_consumes_owned_inputs_and_creates_outputs_of_equal_value()
    {
        IReadOnlyList<Hash256> coins = _f.Mint(_f.Alice, 7, 5);
        CoinResult result = _f.Run(_f.Alice, CoinOperation.Spend(coins, [To(_f.Bob, 9), To(_f.Alice, 3)]));

        Assert.Equal(CoinResultCode.Ok, result.Code);
        Assert.False(_f.App.TryGetCoin(coins[0], out _));
        Assert.False(_f.App.TryGetCoin(coins[1], out _));
        Assert.Equal(2, _f.App.CoinCount);
        Assert.Equal((UInt128)12, _f.App.TotalValue);
    }

    [Fact]
    public void Spending_a_coin_that_never_existed_is_UnknownCoin() =>
        AssertRejected(CoinResultCode.UnknownCoin, _f.Alice, CoinOperation.Spend([Hash256.Compute("nope"u8)], [To(_f.Bob, 1)]));

    [Fact]
    public void A_double_spend_in_one_batch_lets_the_first_win_and_gives_the_second_UnknownCoin()
    {
        IReadOnlyList<Hash256> coin = _f.Mint(_f.Alice, 10);
        SignedRequest toBob = _f.Sign(_f.Alice, CoinOperation.Spend(coin, [To(_f.Bob, 10)]));
        SignedRequest toCarol = _f.Sign(_f.Alice, CoinOperation.Spend(coin, [To(_f.Carol, 10)]));

        IReadOnlyList<byte[]> results = _f.RunBatch(toBob, toCarol);

        Assert.Equal(CoinResultCode.Ok, CoinResult.Decode(results[0]).Code);
        Assert.Equal(CoinResultCode.UnknownCoin, CoinResult.Decode(results[1]).Code);
        Assert.True(_f.App.TryGetCoin(CoinIds.Derive(toBob.Digest, 0), out CoinOutput bobs));
        Assert.Equal(_f.Bob.PublicKey, bobs.Owner);
        Assert.Equal(1, _f.App.CoinCount);
    }

    [Fact]
    public void Spending_someone_elses_coin_is_NotOwner() =>
        AssertRejected(CoinResultCode.NotOwner, _f.Bob, CoinOperation.Spend(_f.Mint(_f.Alice, 10), [To(_f.Bob, 10)]));

    [Fact]
    public void Listing_an_input_twice_is_DuplicateInput()
    {
        Hash256 coin = _f.Mint(_f.Alice, 10)[0];
        AssertRejected(CoinResultCode.DuplicateInput, _f.Alice, CoinOperation.Spend([coin, coin], [To(_f.Bob, 20)]));
    }

    [Theory]
    [InlineData(9UL)]
    [InlineData(11UL)]
    public void Outputs_that_do_not_add_up_to_the_inputs_are_ValueMismatch(ulong outputValue) =>
        AssertRejected(CoinResultCode.ValueMismatch, _f.Alice, CoinOperation.Spend(_f.Mint(_f.Alice, 10), [To(_f.Bob, outputValue)]));

    [Fact]
    public void Outputs_that_overflow_are_Overflow()
    {
        AssertRejected(CoinResultCode.Overflow, _f.Minter, CoinOperation.Mint([To(_f.Alice, ulong.MaxValue), To(_f.Alice, 1)]));
        AssertRejected(CoinResultCode.Overflow, _f.Alice,
            CoinOperation.Spend(_f.Mint(_f.Alice, 10), [To(_f.Bob, ulong.MaxValue), To(_f.Bob, 11)]));
    }

    [Fact]
    public void Inputs_that_overflow_are_Overflow()
    {
        Hash256 big1 = _f.Mint(_f.Alice, ulong.MaxValue)[0];
        Hash256 big2 = _f.Mint(_f.Alice, 2)[0];
        AssertRejected(CoinResultCode.Overflow, _f.Alice, CoinOperation.Spend([big1, big2], [To(_f.Bob, 1)]));
    }

    [Fact]
    public void A_transaction_without_outputs_is_EmptyOutputs()
    {
        AssertRejected(CoinResultCode.EmptyOutputs, _f.Minter, CoinOperation.Mint([]));
        AssertRejected(CoinResultCode.EmptyOutputs, _f.Alice, CoinOperation.Spend(_f.Mint(_f.Alice, 1), []));
    }

    [Fact]
    public void A_zero_value_output_is_ZeroValue_in_a_mint_and_in_a_spend_and_refused_before_ordering()
    {
        // One SPEND could otherwise split nothing into dozens of coins for one owner (issue 14, point 1).
        IReadOnlyList<Hash256> coins = _f.Mint(_f.Alice, 10);
        AssertRejected(CoinResultCode.ZeroValue, _f.Minter, CoinOperation.Mint([To(_f.Alice, 5), To(_f.Bob, 0)]));
        AssertRejected(CoinResultCode.ZeroValue, _f.Alice, CoinOperation.Spend(coins, [To(_f.Bob, 10), To(_f.Bob, 0)]));
        AssertRejected(CoinResultCode.ZeroValue, _f.Alice, CoinOperation.Spend(coins, [.. Enumerable.Repeat(To(_f.Alice, 0), 63), To(_f.Bob, 10)]));

        TxCheck check = _f.App.CheckTx(_f.Sign(_f.Alice, CoinOperation.Spend(coins, [To(_f.Bob, 10), To(_f.Alice, 0)])));
        Assert.Equal((byte)CoinResultCode.ZeroValue, check.Code);
        Assert.Contains("output 1", check.Reason, StringComparison.Ordinal);
        Assert.Equal(CoinResultCode.ZeroValue, CoinResult.Decode([(byte)CoinResultCode.ZeroValue]).Code);
    }

    [Fact]
    public void Too_many_inputs_or_outputs_are_refused_by_their_own_codes()
    {
        byte[] tooManyInputs = [2, .. BitConverter.GetBytes((uint)CoinLimits.MaxInputs + 1), .. new byte[(CoinLimits.MaxInputs + 1) * 32], 1, 0, 0, 0, .. new byte[40]];
        AssertRejected(CoinResultCode.TooManyInputs, _f.Alice, tooManyInputs);

        byte[] tooManyOutputs = [1, .. BitConverter.GetBytes((uint)CoinLimits.MaxOutputs + 1), .. new byte[(CoinLimits.MaxOutputs + 1) * 40]];
        AssertRejected(CoinResultCode.TooManyOutputs, _f.Minter, tooManyOutputs);
        Assert.Throws<ArgumentException>(() => CoinOperation.Mint([.. Enumerable.Repeat(To(_f.Alice, 1), CoinLimits.MaxOutputs + 1)]).Encode());
    }

    public static TheoryData<string, byte[]> MalformedOperations => new()
    {
        { "empty", [] },
        { "unknown kind", [9, 0, 0, 0, 0] },
        { "truncated output", [1, 1, 0, 0, 0, 1, 2, 3] },
        { "trailing byte", [1, 1, 0, 0, 0, .. new byte[40], 0] },
        { "count larger than the bytes", [1, 3, 0, 0, 0, .. new byte[40]] },
        { "spend without inputs", [2, 0, 0, 0, 0, 1, 0, 0, 0, .. new byte[40]] },
    };

    [Theory]
    [MemberData(nameof(MalformedOperations))]
    public void Malformed_operations_are_Malformed(string what, byte[] operation)
    {
        _ = what;
        AssertRejected(CoinResultCode.Malformed, _f.Minter, operation);
    }

    [Fact]
    public void Executing_the_same_mint_twice_is_Replayed()
    {
        SignedRequest mint = _f.Sign(_f.Minter, CoinOperation.Mint([To(_f.Alice, 5)]));
        Assert.Equal(CoinResultCode.Ok, _f.App.Execute(mint).Code);
        byte[] before = _f.App.TakeSnapshot();
        Assert.Equal(CoinResultCode.Replayed, _f.App.Execute(mint).Code);
        Assert.Equal(before, _f.App.TakeSnapshot());
    }

    [Fact]
    public void A_batch_returns_one_canonical_result_per_transaction_in_order()
    {
        SignedRequest ok = _f.Sign(_f.Minter, CoinOperation.Mint([To(_f.Alice, 5)]));
        SignedRequest notMinter = _f.Sign(_f.Alice, CoinOperation.Mint([To(_f.Alice, 5)]));
        IReadOnlyList<byte[]> results = _f.RunBatch(ok, notMinter);
        Assert.Equal(2, results.Count);
        Assert.Equal(CoinResult.Ok([CoinIds.Derive(ok.Digest, 0)]).Encode(), results[0]);
        Assert.Equal([(byte)CoinResultCode.NotMinter], results[1]);
    }

    [Fact]
    public void Result_bytes_round_trip_and_bad_ones_are_refused()
    {
        var result = CoinResult.Ok([Hash256.Compute("a"u8), Hash256.Compute("b"u8)]);
        Assert.Equal(result.CreatedCoins, CoinResult.Decode(result.Encode()).CreatedCoins);
        Assert.Throws<SmartChain.Core.Encoding.EncodingException>(() => CoinResult.Decode([200]));
        Assert.Throws<SmartChain.Core.Encoding.EncodingException>(() => CoinResult.Decode([0, 1, 0, 0, 0]));
    }
}
