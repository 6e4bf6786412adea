using SmartChain.Coin.Wallet;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Tests;

public sealed class WalletTests : IDisposable
{
    private readonly CoinFixture _f = new();
    private readonly CoinWallet _minter;
    private readonly CoinWallet _alice;
    private readonly CoinWallet _bob;

    public WalletTests()
    {
        _minter = new CoinWallet(CoinFixture.Chain, _f.Minter);
        _alice = new CoinWallet(CoinFixture.Chain, _f.Alice);
        _bob = new CoinWallet(CoinFixture.Chain, _f.Bob);
    }

    public void Dispose() => _f.Dispose();

    private CoinResult Submit(SignedRequest request)
    {
        CoinResult result = _f.App.Execute(request);
        foreach (CoinWallet wallet in (CoinWallet[])[_minter, _alice, _bob])
        {
            wallet.Observe(request, result);
        }

        return result;
    }

    [Fact]
    public void Requests_name_the_wallets_not_before_which_never_goes_back()
    {
        _minter.NotBefore = 40;
        Assert.Equal(40, _minter.Mint([new CoinOutput(_alice.Address, 1)]).NotBefore);
        _minter.NotBefore = 12; // an older answer: a later sequence must not name an earlier instance
        Assert.Equal(40, _minter.Mint([new CoinOutput(_alice.Address, 1)]).NotBefore);
        _minter.NotBefore = 41;
        Assert.Equal(41, _minter.Mint([new CoinOutput(_alice.Address, 1)]).NotBefore);
    }

    [Fact]
    public void A_wallet_learns_minted_coins_and_pays_with_change()
    {
        Submit(_minter.Mint([new CoinOutput(_alice.Address, 50), new CoinOutput(_alice.Address, 30), new CoinOutput(_alice.Address, 5)]));
        Assert.Equal(85UL, _alice.Balance);

        SignedRequest pay = _alice.Pay(_bob.Address, 60);
        Assert.Equal(2, CoinOperationInputs(pay));
        Assert.Equal(5UL, _alice.SpendableBalance);
        Assert.Equal(CoinResultCode.Ok, Submit(pay).Code);

        Assert.Equal(60UL, _bob.Balance);
        Assert.Equal(25UL, _alice.Balance);
        Assert.Equal(25UL, _alice.SpendableBalance);
        Assert.Equal((UInt128)85, _f.App.TotalValue);
    }

    [Fact]
    public void An_exact_payment_has_no_change_output()
    {
        Submit(_minter.Mint([new CoinOutput(_alice.Address, 10)]));
        SignedRequest pay = _alice.Pay(_bob.Address, 10);
        CoinOperation.TryDecode(pay.Operation.Span, out CoinOperation? op, out _);
        Assert.Single(op!.Outputs);
    }

    [Fact]
    public void Paying_more_than_the_spendable_balance_is_refused()
    {
        Submit(_minter.Mint([new CoinOutput(_alice.Address, 10), new CoinOutput(_alice.Address, 10)]));
        _alice.Pay(_bob.Address, 15);
        var e = Assert.Throws<InsufficientFundsException>(() => _alice.Pay(_bob.Address, 1));
        Assert.Contains("balance 0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rejected_spend_releases_its_coins()
    {
        Submit(_minter.Mint([new CoinOutput(_alice.Address, 10)]));
        SignedRequest first = _alice.Pay(_bob.Address, 4);
        Assert.Equal(0UL, _alice.SpendableBalance);

        _alice.Observe(first, CoinResult.Rejected(CoinResultCode.UnknownCoin));
        Assert.Equal(10UL, _alice.SpendableBalance);
        Assert.Equal(CoinResultCode.Ok, Submit(_alice.Pay(_bob.Address, 4)).Code);
        Assert.Equal(6UL, _alice.Balance);
    }

    [Fact]
    public void Sequences_increase_with_each_signed_request()
    {
        var wallet = new CoinWallet(CoinFixture.Chain, _f.Carol, firstSequence: 1000);
        SignedRequest a = wallet.Mint([new CoinOutput(wallet.Address, 1)]);
        SignedRequest b = wallet.Mint([new CoinOutput(wallet.Address, 1)]);
        Assert.Equal((1000UL, 1001UL), (a.Sequence, b.Sequence));
        Assert.Equal(1002UL, wallet.NextSequence);
    }

    private static int CoinOperationInputs(SignedRequest request)
    {
        CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? op, out _);
        return op!.Inputs.Count;
    }
}
