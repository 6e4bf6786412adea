using SmartChain.Coin;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Load;

/// <summary>
/// SPEND chains between wallets: each stream is a wallet that holds two coins and pays a small amount to another
/// wallet, keeping its change as two coins, which its next SPEND consumes (2 inputs, 3 outputs, ≈ 380 bytes signed).
/// Setup is one MINT of the two first coins per wallet. Seeded: the same seed gives the same wallets and requests.
/// </summary>
public sealed class SpendStreams : IStreamWorkload, IDisposable
{
    private const ulong StartValue = 1_000_000_000_000;
    private readonly string _chainId;
    private readonly Ed25519KeyPair _minter;
    private readonly Ed25519KeyPair[] _wallets;
    private readonly (Hash256 Id, ulong Value)[][] _coins;
    private readonly ulong[] _sequence;
    private readonly SignedRequest?[] _pending;
    private readonly SplitMix64[] _random;
    private readonly ulong _mintSequenceStart;

    /// <summary>
    /// <paramref name="streams"/> wallets derived from <paramref name="seed"/>; <paramref name="minter"/> mints their
    /// coins, starting at sequence <paramref name="mintSequenceStart"/> (time-based when a minter key is reused).
    /// </summary>
    public SpendStreams(string chainId, Ed25519KeyPair minter, int streams, ulong seed, ulong mintSequenceStart = 1)
    {
        ArgumentNullException.ThrowIfNull(minter);
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1);
        _chainId = chainId;
        _minter = minter;
        _mintSequenceStart = mintSequenceStart;
        var seeds = new SplitMix64(seed);
        _wallets = new Ed25519KeyPair[streams];
        _random = new SplitMix64[streams];
        for (int i = 0; i < streams; i++)
        {
            byte[] key = new byte[32];
            for (int b = 0; b < 32; b += 8)
            {
                BitConverter.TryWriteBytes(key.AsSpan(b), seeds.Next());
            }

            _wallets[i] = Ed25519KeyPair.FromSeed(key);
            _random[i] = new SplitMix64(seeds.Next());
        }

        _coins = new (Hash256, ulong)[streams][];
        _sequence = new ulong[streams];
        _pending = new SignedRequest?[streams];
    }

    /// <inheritdoc />
    public int Streams => _wallets.Length;

    /// <inheritdoc />
    public IReadOnlyList<SignedRequest> Setup(long notBefore)
    {
        var mints = new SignedRequest[_wallets.Length];
        for (int i = 0; i < mints.Length; i++)
        {
            CoinOutput coin = new(_wallets[i].PublicKey, StartValue);
            mints[i] = SignedRequest.Create(_chainId, _minter, _mintSequenceStart + (ulong)i, notBefore, CoinOperation.Mint([coin, coin]).Encode());
            _coins[i] = [(CoinIds.Derive(mints[i].Digest, 0), StartValue), (CoinIds.Derive(mints[i].Digest, 1), StartValue)];
        }

        return mints;
    }

    /// <inheritdoc />
    public SignedRequest NextRequest(int stream, long notBefore)
    {
        (Hash256 Id, ulong Value)[] held = _coins[stream] ?? throw new InvalidOperationException("run Setup first");
        ulong total = held[0].Value + held[1].Value;
        ulong pay = 1 + _random[stream].NextBelow(100);
        ulong change = total - pay;
        int payee = (stream + 1 + (int)_random[stream].NextBelow((ulong)Math.Max(1, _wallets.Length - 1))) % _wallets.Length;
        Ed25519PublicKey self = _wallets[stream].PublicKey;
        byte[] operation = CoinOperation.Spend([held[0].Id, held[1].Id],
            [new CoinOutput(_wallets[payee].PublicKey, pay), new CoinOutput(self, change / 2), new CoinOutput(self, change - (change / 2))]).Encode();
        SignedRequest request = SignedRequest.Create(_chainId, _wallets[stream], ++_sequence[stream], notBefore, operation);
        _pending[stream] = request;
        return request;
    }

    /// <inheritdoc />
    public bool Accepted(int stream, ReplyMessage reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        SignedRequest request = _pending[stream] ?? throw new InvalidOperationException($"stream {stream} has nothing outstanding");
        if (reply.Status is not (ReplyStatus.Executed or ReplyStatus.Duplicate) || CoinResult.Decode(reply.Result.Span).Code != CoinResultCode.Ok)
        {
            return false;
        }

        CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? op, out _);
        _coins[stream] = [(CoinIds.Derive(request.Digest, 1), op!.Outputs[1].Value), (CoinIds.Derive(request.Digest, 2), op.Outputs[2].Value)];
        _pending[stream] = null;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Ed25519KeyPair wallet in _wallets)
        {
            wallet.Dispose();
        }
    }
}
