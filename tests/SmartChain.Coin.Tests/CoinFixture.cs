using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Tests;

/// <summary>A chain with one minter and three users, and helpers to sign and run transactions.</summary>
public sealed class CoinFixture : IDisposable
{
    public const string Chain = "coin-test";
    private readonly Dictionary<Ed25519PublicKey, ulong> _sequences = [];

    public CoinFixture(CoinExecutionOptions? options = null)
    {
        Minter = Key(1);
        Alice = Key(2);
        Bob = Key(3);
        Carol = Key(4);
        App = new CoinApplication(Chain, [Minter.PublicKey], options);
    }

    public Ed25519KeyPair Minter { get; }

    public Ed25519KeyPair Alice { get; }

    public Ed25519KeyPair Bob { get; }

    public Ed25519KeyPair Carol { get; }

    public CoinApplication App { get; }

    public static Ed25519KeyPair Key(byte id)
    {
        byte[] seed = new byte[32];
        seed[0] = id;
        return Ed25519KeyPair.FromSeed(seed);
    }

    public SignedRequest Sign(Ed25519KeyPair signer, CoinOperation operation) => Sign(signer, operation.Encode());

    public SignedRequest Sign(Ed25519KeyPair signer, byte[] operation)
    {
        ulong sequence = _sequences.GetValueOrDefault(signer.PublicKey) + 1;
        _sequences[signer.PublicKey] = sequence;
        return SignedRequest.Create(Chain, signer, sequence, 0, operation);
    }

    public CoinResult Run(Ed25519KeyPair signer, CoinOperation operation) => App.Execute(Sign(signer, operation));

    /// <summary>Mints coins of the given values to <paramref name="owner"/> and returns their ids.</summary>
    public IReadOnlyList<Hash256> Mint(Ed25519KeyPair owner, params ulong[] values)
    {
        CoinResult result = Run(Minter, CoinOperation.Mint([.. values.Select(v => new CoinOutput(owner.PublicKey, v))]));
        Assert.Equal(CoinResultCode.Ok, result.Code);
        return result.CreatedCoins;
    }

    public IReadOnlyList<byte[]> RunBatch(params SignedRequest[] batch) => App.ExecuteBatch(new BatchContext(1, 1), batch);

    public void Dispose()
    {
        Minter.Dispose();
        Alice.Dispose();
        Bob.Dispose();
        Carol.Dispose();
    }
}
