using System.Collections.Immutable;
using SmartChain.Core.Crypto;

namespace SmartChain.Coin;

/// <summary>
/// The unspent coins of each owner, sorted by id, with their total: what queries read. Execution changes a working
/// copy; <see cref="Publish"/> makes it the one readers see. Every structure is immutable, so a reader on any thread
/// holds a consistent state (the one after a whole batch) for as long as it likes, without a lock and without ever
/// delaying execution; publishing is one reference write. The price is a few small allocations per coin created or
/// spent (persistent trees share all untouched nodes); within a batch, the owners touched are changed through
/// builders, so a second change to an owner's tree in the same batch reuses the nodes the first one copied, and the
/// owner's entry is written once per batch, at <see cref="Publish"/>, not once per coin.
/// </summary>
internal sealed class CoinOwnerIndex
{
    private static readonly IComparer<(Hash256 Id, ulong Value)> ById =
        Comparer<(Hash256 Id, ulong Value)>.Create(static (a, b) => a.Id.CompareTo(b.Id));

    private static readonly ImmutableSortedSet<(Hash256 Id, ulong Value)> NoCoins = ImmutableSortedSet.Create(ById);

    private ImmutableDictionary<Ed25519PublicKey, OwnerCoins>.Builder _working = ImmutableDictionary.CreateBuilder<Ed25519PublicKey, OwnerCoins>();
    private ImmutableDictionary<Ed25519PublicKey, OwnerCoins> _published = ImmutableDictionary<Ed25519PublicKey, OwnerCoins>.Empty;

    // The owners changed since the last Publish (execution thread only): their trees as builders, and their totals.
    private readonly Dictionary<Ed25519PublicKey, Touched> _touched = [];

    /// <summary>One owner's coins sorted by id, and their total (which can exceed 2^64).</summary>
    public sealed record OwnerCoins(ImmutableSortedSet<(Hash256 Id, ulong Value)> Coins, UInt128 Total);

    private sealed class Touched(ImmutableSortedSet<(Hash256 Id, ulong Value)>.Builder coins, UInt128 total)
    {
        public ImmutableSortedSet<(Hash256 Id, ulong Value)>.Builder Coins { get; } = coins;

        public UInt128 Total { get; set; } = total;
    }

    /// <summary>Records a new coin (execution thread).</summary>
    public void Add(Ed25519PublicKey owner, Hash256 id, ulong value)
    {
        if (!_touched.TryGetValue(owner, out Touched? coins))
        {
            OwnerCoins? held = _working.GetValueOrDefault(owner);
            coins = new Touched((held?.Coins ?? NoCoins).ToBuilder(), held?.Total ?? 0);
            _touched.Add(owner, coins);
        }

        coins.Coins.Add((id, value));
        coins.Total += value;
    }

    /// <summary>Forgets a spent coin (execution thread); an owner left without coins leaves the index at the next <see cref="Publish"/>.</summary>
    public void Remove(Ed25519PublicKey owner, Hash256 id, ulong value)
    {
        if (!_touched.TryGetValue(owner, out Touched? coins))
        {
            if (!_working.TryGetValue(owner, out OwnerCoins? held))
            {
                return;
            }

            coins = new Touched(held.Coins.ToBuilder(), held.Total);
            _touched.Add(owner, coins);
        }

        coins.Coins.Remove((id, value));
        coins.Total -= value;
    }

    /// <summary>Replaces everything with <paramref name="coins"/> (a restored snapshot) and publishes it.</summary>
    public void Rebuild(IEnumerable<KeyValuePair<Hash256, CoinOutput>> coins)
    {
        var byOwner = new Dictionary<Ed25519PublicKey, (ImmutableSortedSet<(Hash256 Id, ulong Value)>.Builder Coins, UInt128 Total)>();
        foreach ((Hash256 id, CoinOutput coin) in coins)
        {
            if (!byOwner.TryGetValue(coin.Owner, out var entry))
            {
                entry = (ImmutableSortedSet.CreateBuilder(ById), 0);
            }

            entry.Coins.Add((id, coin.Value));
            byOwner[coin.Owner] = (entry.Coins, entry.Total + coin.Value);
        }

        _touched.Clear();
        _working = ImmutableDictionary.CreateBuilder<Ed25519PublicKey, OwnerCoins>();
        foreach ((Ed25519PublicKey owner, var entry) in byOwner)
        {
            _working[owner] = new OwnerCoins(entry.Coins.ToImmutable(), entry.Total);
        }

        Publish();
    }

    /// <summary>Makes the working state the one readers see (after a batch, on the execution thread).</summary>
    public void Publish()
    {
        foreach ((Ed25519PublicKey owner, Touched coins) in _touched)
        {
            if (coins.Coins.Count == 0)
            {
                _working.Remove(owner);
            }
            else
            {
                _working[owner] = new OwnerCoins(coins.Coins.ToImmutable(), coins.Total);
            }
        }

        _touched.Clear();
        Volatile.Write(ref _published, _working.ToImmutable());
    }

    /// <summary>The published coins of <paramref name="owner"/> (any thread), or null if it owns none.</summary>
    public OwnerCoins? Of(Ed25519PublicKey owner) => Volatile.Read(ref _published).GetValueOrDefault(owner);

    /// <summary>
    /// Up to <paramref name="max"/> of the published coins of <paramref name="owner"/> with ids above
    /// <paramref name="after"/> (all of them when null), in id order, and whether more follow. O(log n + max).
    /// </summary>
    public (List<(Hash256 Id, ulong Value)> Page, bool More) Page(Ed25519PublicKey owner, Hash256? after, int max)
    {
        var page = new List<(Hash256 Id, ulong Value)>();
        if (Of(owner) is not { } coins)
        {
            return (page, false);
        }

        int start = 0;
        if (after is { } cursor)
        {
            int at = coins.Coins.IndexOf((cursor, 0));
            start = at >= 0 ? at + 1 : ~at;
        }

        int end = Math.Min(coins.Coins.Count, start + max);
        for (int i = start; i < end; i++)
        {
            page.Add(coins.Coins[i]);
        }

        return (page, end < coins.Coins.Count);
    }
}
