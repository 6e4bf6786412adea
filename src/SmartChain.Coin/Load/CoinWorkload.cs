using System.Buffers.Binary;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Load;

/// <summary>
/// A reproducible SMaRtCoin load: from a seed, <see cref="WalletCount"/> wallets; a MINT phase that gives each
/// wallet two coins; then SPEND rounds in which wallet i pays a random part of its two coins to wallet i+1 and
/// keeps the rest as change, so every wallet again holds two coins. Each round's transactions are independent of
/// each other and valid when executed after the previous round, in any order within the round. Requests are
/// signed in parallel on all cores; the same seed gives byte-identical requests.
/// </summary>
public sealed class CoinWorkload : IDisposable
{
    private readonly string _chainId;
    private readonly Ed25519KeyPair _minter;
    private readonly Ed25519KeyPair[] _wallets;
    private readonly (Hash256 Id, ulong Value)[][] _holdings;
    private readonly ulong _coinValue;
    private SplitMix64 _random;
    private ulong _minterSequence;
    private bool _minted;

    /// <summary>Creates the wallets; <paramref name="minter"/> must be a genesis minter and is not owned.</summary>
    public CoinWorkload(string chainId, Ed25519KeyPair minter, int walletCount, ulong seed, ulong coinValue = 1_000_000,
        ulong minterFirstSequence = 1)
    {
        ArgumentNullException.ThrowIfNull(minter);
        ArgumentOutOfRangeException.ThrowIfLessThan(walletCount, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(coinValue, 1UL);
        _chainId = chainId;
        _minter = minter;
        _coinValue = coinValue;
        _minterSequence = minterFirstSequence;
        _random = new SplitMix64(seed);
        _wallets = new Ed25519KeyPair[walletCount];
        Parallel.For(0, walletCount, i => _wallets[i] = Ed25519KeyPair.FromSeed(WalletSeed(seed, i)));
        _holdings = new (Hash256, ulong)[walletCount][];
    }

    /// <summary>Number of wallets.</summary>
    public int WalletCount => _wallets.Length;

    /// <summary>The not-before the requests signed from now on name (an instance the network has decided).</summary>
    public long NotBefore { get; set; }

    /// <summary>SPEND rounds generated so far.</summary>
    public int Rounds { get; private set; }

    /// <summary>Wallet i's address.</summary>
    public Ed25519PublicKey WalletAddress(int index) => _wallets[index].PublicKey;

    /// <summary>One MINT per wallet, each creating two coins of the configured value for it.</summary>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public SignedRequest[] MintPhase()
    {
        if (_minted)
        {
            throw new InvalidOperationException("the MINT phase has already been generated");
        }

        _minted = true;
        ulong firstSequence = _minterSequence;
        _minterSequence += (ulong)_wallets.Length;
        var mints = new SignedRequest[_wallets.Length];
        Parallel.For(0, _wallets.Length, i =>
        {
            CoinOutput output = new(_wallets[i].PublicKey, _coinValue);
            mints[i] = SignedRequest.Create(_chainId, _minter, firstSequence + (ulong)i, NotBefore, CoinOperation.Mint([output, output]).Encode());
        });

        for (int i = 0; i < mints.Length; i++)
        {
            _holdings[i] = [(CoinIds.Derive(mints[i].Digest, 0), _coinValue), (CoinIds.Derive(mints[i].Digest, 1), _coinValue)];
        }

        return mints;
    }

    /// <summary>The next round: one 2-input, 2-output SPEND per wallet.</summary>
    /// <exception cref="InvalidOperationException">Before <see cref="MintPhase"/>.</exception>
    public SignedRequest[] NextSpendRound()
    {
        if (!_minted)
        {
            throw new InvalidOperationException("generate the MINT phase first");
        }

        int n = _wallets.Length;
        var operations = new byte[n][];
        var totals = new ulong[n];
        var payments = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            (Hash256 Id, ulong Value)[] held = _holdings[i];
            totals[i] = held[0].Value + held[1].Value;
            payments[i] = 1 + _random.NextBelow(totals[i] - 1);
            CoinOutput pay = new(_wallets[(i + 1) % n].PublicKey, payments[i]);
            CoinOutput change = new(_wallets[i].PublicKey, totals[i] - payments[i]);
            operations[i] = CoinOperation.Spend([held[0].Id, held[1].Id], [pay, change]).Encode();
        }

        // Wallet sequences are 1 + round: the MINTs came from the minter's key.
        ulong sequence = (ulong)Rounds + 1;
        var spends = new SignedRequest[n];
        long notBefore = NotBefore;
        Parallel.For(0, n, i => spends[i] = SignedRequest.Create(_chainId, _wallets[i], sequence, notBefore, operations[i]));

        // Each wallet now holds its change (output 1 of its SPEND) and its predecessor's payment (output 0 of that one).
        for (int i = 0; i < n; i++)
        {
            int payer = (i + n - 1) % n;
            _holdings[i] = [(CoinIds.Derive(spends[i].Digest, 1), totals[i] - payments[i]), (CoinIds.Derive(spends[payer].Digest, 0), payments[payer])];
        }

        Rounds++;
        return spends;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Ed25519KeyPair wallet in _wallets)
        {
            wallet?.Dispose();
        }
    }

    private static byte[] WalletSeed(ulong seed, int index)
    {
        Span<byte> input = stackalloc byte[24];
        "scload1\0"u8.CopyTo(input);
        BinaryPrimitives.WriteUInt64LittleEndian(input[8..], seed);
        BinaryPrimitives.WriteInt64LittleEndian(input[16..], index);
        return Hash256.Compute(input).ToArray();
    }
}
