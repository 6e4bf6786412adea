using SmartChain.Coin.Load;
using SmartChain.Core.Application;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Tests;

public class WorkloadTests
{
    [Fact]
    public void Mints_and_spend_rounds_all_execute_and_conserve_value()
    {
        using var f = new CoinFixture();
        using var load = new CoinWorkload(CoinFixture.Chain, f.Minter, walletCount: 50, seed: 7, coinValue: 1000);
        AssertAllOk(f.App.ExecuteBatch(new BatchContext(1, 1), load.MintPhase()));
        for (int round = 0; round < 5; round++)
        {
            SignedRequest[] spends = load.NextSpendRound();
            Array.Reverse(spends); // order within a round does not matter
            AssertAllOk(f.App.ExecuteBatch(new BatchContext(2 + round, 2 + round), spends));
        }

        Assert.Equal((UInt128)(50 * 2 * 1000), f.App.TotalValue);
        Assert.Equal(100, f.App.CoinCount);
        Assert.Equal(5, load.Rounds);
    }

    [Fact]
    public void The_same_seed_gives_byte_identical_requests_and_another_seed_does_not()
    {
        using var minter = CoinFixture.Key(1);
        byte[][] Generate(ulong seed)
        {
            using var load = new CoinWorkload(CoinFixture.Chain, minter, walletCount: 20, seed: seed);
            return [.. load.MintPhase().Concat(load.NextSpendRound()).Concat(load.NextSpendRound()).Select(r => r.Encoded.ToArray())];
        }

        byte[][] a = Generate(42);
        byte[][] b = Generate(42);
        byte[][] c = Generate(43);
        Assert.Equal(a.Length, b.Length);
        Assert.True(a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second)));
        Assert.False(a.Zip(c).Skip(20).All(p => p.First.AsSpan().SequenceEqual(p.Second)));
    }

    [Fact]
    public void Spends_before_the_mint_phase_are_refused()
    {
        using var minter = CoinFixture.Key(1);
        using var load = new CoinWorkload(CoinFixture.Chain, minter, walletCount: 2, seed: 1);
        Assert.Throws<InvalidOperationException>(() => load.NextSpendRound());
        load.MintPhase();
        Assert.Throws<InvalidOperationException>(() => load.MintPhase());
    }

    [Fact]
    public void Request_sizes_are_the_documented_ones()
    {
        using var minter = CoinFixture.Key(1);
        using var load = new CoinWorkload("smartchain-local", minter, walletCount: 2, seed: 1);
        SignedRequest[] mints = load.MintPhase();
        SignedRequest[] spends = load.NextSpendRound();
        Assert.Equal(222, mints[0].Size);    // 2 outputs
        Assert.Equal(290, spends[0].Size);   // 2 inputs, 2 outputs

        var oneOutputMint = SignedRequest.Create("smartchain-local", minter, 9, 0, CoinOperation.Mint([new CoinOutput(minter.PublicKey, 1)]).Encode());
        Assert.Equal(182, oneOutputMint.Size); // 8 B of not-before since issue 14
        Assert.Equal(37, CoinResult.Ok([oneOutputMint.Digest]).Encode().Length);
        Assert.Equal(69, CoinResult.Ok([oneOutputMint.Digest, oneOutputMint.Digest]).Encode().Length);
    }

    private static void AssertAllOk(IReadOnlyList<byte[]> results)
    {
        foreach (byte[] result in results)
        {
            Assert.Equal(CoinResultCode.Ok, CoinResult.Decode(result).Code);
        }
    }
}
