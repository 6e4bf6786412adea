using SmartChain.Core.Requests;

namespace SmartChain.Coin.Tests;

public class SignatureCheckTests
{
    private static SignedRequest Tampered(SignedRequest request)
    {
        byte[] bytes = request.Encoded.ToArray();
        bytes[^1] ^= 0x01;
        return SignedRequest.Decode(bytes);
    }

    [Fact]
    public void CheckTx_refuses_a_bad_signature_and_a_foreign_chain()
    {
        using var f = new CoinFixture();
        SignedRequest good = f.Sign(f.Minter, CoinOperation.Mint([new CoinOutput(f.Alice.PublicKey, 1)]));
        Assert.True(f.App.CheckTx(good).Accepted);

        Assert.Equal((byte)CoinResultCode.BadSignature, f.App.CheckTx(Tampered(good)).Code);
        SignedRequest foreign = SignedRequest.Create("other-chain", f.Minter, 9, 0, good.Operation.Span);
        Assert.Equal((byte)CoinResultCode.BadSignature, f.App.CheckTx(foreign).Code);
    }

    [Fact]
    public void CheckTx_reports_stateless_rule_violations_with_reasons()
    {
        using var f = new CoinFixture();
        var notMinter = f.App.CheckTx(f.Sign(f.Alice, CoinOperation.Mint([new CoinOutput(f.Alice.PublicKey, 1)])));
        Assert.False(notMinter.Accepted);
        Assert.Equal((byte)CoinResultCode.NotMinter, notMinter.Code);
        Assert.Contains("not a minter", notMinter.Reason, StringComparison.Ordinal);

        var malformed = f.App.CheckTx(f.Sign(f.Alice, [7]));
        Assert.Equal((byte)CoinResultCode.Malformed, malformed.Code);
        Assert.Contains("unknown operation kind 7", malformed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Execution_verifies_signatures_only_when_switched_to_the_naive_baseline()
    {
        using var preVerified = new CoinFixture();
        SignedRequest bad = Tampered(preVerified.Sign(preVerified.Minter, CoinOperation.Mint([new CoinOutput(preVerified.Alice.PublicKey, 1)])));
        Assert.Equal(CoinResultCode.Ok, preVerified.App.Execute(bad).Code);

        using var naive = new CoinFixture(new CoinExecutionOptions { VerifySignaturesInExecution = true });
        SignedRequest bad2 = Tampered(naive.Sign(naive.Minter, CoinOperation.Mint([new CoinOutput(naive.Alice.PublicKey, 1)])));
        Assert.Equal(CoinResultCode.BadSignature, naive.App.Execute(bad2).Code);
        Assert.Equal(0, naive.App.CoinCount);
        SignedRequest good = naive.Sign(naive.Minter, CoinOperation.Mint([new CoinOutput(naive.Alice.PublicKey, 1)]));
        Assert.Equal(CoinResultCode.Ok, naive.App.Execute(good).Code);
    }
}
