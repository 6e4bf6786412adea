using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Coin.Wallet;

/// <summary>
/// A SMaRtCoin wallet: one key, its coins, and the requests it signs. It builds MINTs and SPENDs, picks coins for
/// a payment (largest first, change back to the payer), holds chosen coins as pending until the result arrives,
/// and learns its coins from results. Not thread-safe.
/// </summary>
public sealed class CoinWallet
{
    private readonly string _chainId;
    private readonly Ed25519KeyPair _key;
    private readonly Dictionary<Hash256, OwnedCoin> _coins = [];
    private long _notBefore;
    private readonly Dictionary<Hash256, Hash256[]> _pendingBySpend = [];
    private ulong _nextSequence;

    /// <summary>
    /// A wallet for <paramref name="key"/> (not owned: the caller disposes it). <paramref name="firstSequence"/>
    /// must exceed every sequence this key has used on the chain; a time-based value lets separate processes share
    /// a key.
    /// </summary>
    public CoinWallet(string chainId, Ed25519KeyPair key, ulong firstSequence = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(chainId);
        ArgumentNullException.ThrowIfNull(key);
        _chainId = chainId;
        _key = key;
        _nextSequence = firstSequence;
    }

    /// <summary>
    /// The not-before the wallet's next requests name: an instance the network has decided (from
    /// <c>ChainClient.KnownInstance</c> or <c>CurrentInstanceAsync</c>). They can be ordered only in the W instances after it.
    /// It only grows (a lower value is ignored), so a later sequence never names an earlier instance: that keeps a
    /// "stale" answer final (coin.md "The client table").
    /// </summary>
    public long NotBefore
    {
        get => _notBefore;
        set => _notBefore = Math.Max(_notBefore, value);
    }


    /// <summary>The wallet's public key: where coins are sent.</summary>
    public Ed25519PublicKey Address => _key.PublicKey;

    /// <summary>The sequence the next request will carry.</summary>
    public ulong NextSequence => _nextSequence;

    /// <summary>Coins owned, pending or not, ordered by id.</summary>
    public IReadOnlyList<OwnedCoin> Coins => [.. _coins.Values.OrderBy(c => c.Id)];

    /// <summary>Sum of coins not held by a pending SPEND.</summary>
    public ulong SpendableBalance => Sum(c => !c.Pending);

    /// <summary>Sum of all owned coins.</summary>
    public ulong Balance => Sum(_ => true);

    /// <summary>Adds a coin learned elsewhere (a query of the chain), as spendable.</summary>
    public void AddCoin(Hash256 id, ulong value) => _coins[id] = new OwnedCoin(id, value, false);

    /// <summary>Signs a MINT of <paramref name="outputs"/> (the chain accepts it only from a minter).</summary>
    public SignedRequest Mint(IReadOnlyList<CoinOutput> outputs) => Sign(CoinOperation.Mint(outputs));

    /// <summary>Signs a SPEND of explicit inputs into explicit outputs; the inputs become pending.</summary>
    public SignedRequest Spend(IReadOnlyList<Hash256> inputs, IReadOnlyList<CoinOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        SignedRequest request = Sign(CoinOperation.Spend(inputs, outputs));
        MarkPending(request.Digest, inputs);
        return request;
    }

    /// <summary>
    /// Signs a payment of <paramref name="amount"/> to <paramref name="recipient"/>: the largest spendable coins
    /// first, until they cover the amount; the rest comes back as change.
    /// </summary>
    /// <exception cref="InsufficientFundsException">Spendable coins (at most the input limit of them) do not cover the amount.</exception>
    public SignedRequest Pay(Ed25519PublicKey recipient, ulong amount)
    {
        ArgumentOutOfRangeException.ThrowIfZero(amount);
        var chosen = new List<Hash256>();
        ulong covered = 0;
        foreach (OwnedCoin coin in _coins.Values.Where(c => !c.Pending).OrderByDescending(c => c.Value).ThenBy(c => c.Id))
        {
            if (covered >= amount || chosen.Count == CoinLimits.MaxInputs)
            {
                break;
            }

            chosen.Add(coin.Id);
            covered += coin.Value; // owned coins come from a chain that rejects overflowing totals
        }

        if (covered < amount)
        {
            throw new InsufficientFundsException(
                $"paying {amount} needs more than the {covered} that {chosen.Count} spendable coin(s) hold (balance {SpendableBalance})");
        }

        List<CoinOutput> outputs = [new CoinOutput(recipient, amount)];
        if (covered > amount)
        {
            outputs.Add(new CoinOutput(Address, covered - amount));
        }

        return Spend(chosen, outputs);
    }

    /// <summary>
    /// Learns from an executed transaction (anyone's): a successful one adds the outputs owned by this wallet and
    /// drops the spent inputs; a rejected SPEND of ours releases its pending inputs.
    /// </summary>
    public void Observe(SignedRequest request, CoinResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        if (_pendingBySpend.Remove(request.Digest, out Hash256[]? pending) && !result.Succeeded)
        {
            foreach (Hash256 id in pending)
            {
                if (_coins.TryGetValue(id, out OwnedCoin coin))
                {
                    _coins[id] = coin with { Pending = false };
                }
            }
        }

        if (!result.Succeeded ||
            CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? operation, out _) != CoinResultCode.Ok)
        {
            return;
        }

        foreach (Hash256 input in operation!.Inputs)
        {
            _coins.Remove(input);
        }

        for (int i = 0; i < operation.Outputs.Count && i < result.CreatedCoins.Count; i++)
        {
            if (operation.Outputs[i].Owner == Address)
            {
                _coins[result.CreatedCoins[i]] = new OwnedCoin(result.CreatedCoins[i], operation.Outputs[i].Value, false);
            }
        }
    }

    private SignedRequest Sign(CoinOperation operation) =>
        SignedRequest.Create(_chainId, _key, _nextSequence++, NotBefore, operation.Encode());

    private void MarkPending(Hash256 spend, IReadOnlyList<Hash256> inputs)
    {
        foreach (Hash256 id in inputs)
        {
            if (_coins.TryGetValue(id, out OwnedCoin coin))
            {
                _coins[id] = coin with { Pending = true };
            }
        }

        _pendingBySpend[spend] = [.. inputs];
    }

    private ulong Sum(Func<OwnedCoin, bool> include)
    {
        ulong total = 0;
        foreach (OwnedCoin coin in _coins.Values)
        {
            if (include(coin))
            {
                total += coin.Value;
            }
        }

        return total;
    }
}
