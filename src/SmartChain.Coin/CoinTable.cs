using System.Collections;
using System.Runtime.CompilerServices;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin;

/// <summary>
/// The unspent coins by id, in <see cref="ShardCount"/> small dictionaries chosen by the id's leading bits, with a
/// copy-on-write <see cref="Capture"/>: O(shards) and one small allocation, however many coins there are.
/// </summary>
/// <remarks>
/// <para>
/// The clone rule: each shard carries the epoch in which this table made it; <see cref="Capture"/> increments the
/// epoch, so every shard then predates it and a view may share it. The first write to such a shard replaces it with a
/// copy first (stamped with the current epoch) and writes the copy, so a view's shards are never written again and
/// the cost of the copy is spread over the next blocks, one small shard at a time.
/// </para>
/// <para>
/// Threads: one writer (the execution thread) calls every member; a <see cref="CoinTableView"/> may be read on any
/// thread, concurrently with the writer, once it was handed over through anything that orders memory (a task, a
/// channel, a lock). No lock or volatile access is needed on the writer's path: the view's dictionaries are
/// immutable from the capture on, and concurrent reads of an unchanging <see cref="Dictionary{TKey, TValue}"/> are
/// safe.
/// </para>
/// <para>
/// Shards in id order: a shard is the id's top <see cref="ShardBits"/> bits, so every id of shard <c>s</c> is below
/// every id of shard <c>s + 1</c>, and the snapshot sorts shard by shard (small sorts, no array of all ids). Ids
/// are SHA-256 outputs, so shards fill evenly; a client that grinds transaction ids to crowd one shard makes only
/// that shard large (its dictionary still hashes with the seeded hash code), and the first write after a capture
/// copies it once: at worst what the whole-table copy cost before.
/// </para>
/// </remarks>
public sealed class CoinTable : IEnumerable<KeyValuePair<Hash256, CoinOutput>>
{
    /// <summary>
    /// 12 bits, 4,096 shards, so that no shard's arrays reach the large-object heap (85,000 bytes) at a million coins.
    /// An entry is 80 B, so a shard's entries stay under the threshold up to about 1,060 slots; a dictionary doubles to
    /// a prime size, and a shard can only reach 1,103 or more slots by growing past 521 coins (from 919 when it grew
    /// from empty). At a million coins a shard holds about 244 (± 16; the largest of 4,096 about 310), so that holds up
    /// to about 1.7 million coins; with 2,048 shards (about 490 each) some shards would cross it already. The price is
    /// the array a capture copies (32 KB, small-object heap) and, for tiny states, about one dictionary per coin.
    /// </summary>
    public const int ShardBits = 12;

    /// <summary>Number of shards.</summary>
    public const int ShardCount = 1 << ShardBits;

    // Never written: every shard starts as this one, stamped with an epoch before any, so the first write to a shard
    // "clones" it into a dictionary of its own. Empty shards cost nothing until they get a coin.
    private static readonly Dictionary<Hash256, CoinOutput> NoCoins = [];

    private readonly Dictionary<Hash256, CoinOutput>[] _shards = new Dictionary<Hash256, CoinOutput>[ShardCount];
    private readonly long[] _madeIn = new long[ShardCount]; // the epoch in which this table made _shards[i]
    private readonly int _firstCapacity; // of a shard's first dictionary
    private long _epoch;
    private int _count;

    /// <summary>An empty table, sized for <paramref name="expectedCount"/> coins (a restore knows how many it will add).</summary>
    public CoinTable(int expectedCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expectedCount);
        Array.Fill(_shards, NoCoins);
        Array.Fill(_madeIn, -1);

        // A quarter more than the mean, so a shard filled by a restore is neither grown on the way (3, 7, 17, 37, 89…
        // each a copy) nor full right after it, when the next blocks add their coins; shards that stay empty cost nothing.
        int mean = expectedCount / ShardCount;
        _firstCapacity = mean == 0 ? 0 : mean + (mean / 4) + 4;
    }

    /// <summary>Number of coins.</summary>
    public int Count => _count;

    /// <summary>Looks a coin up.</summary>
    public bool TryGetValue(Hash256 id, out CoinOutput coin) => _shards[ShardOf(id)].TryGetValue(id, out coin);

    /// <summary>True if the coin exists.</summary>
    public bool ContainsKey(Hash256 id) => _shards[ShardOf(id)].ContainsKey(id);

    /// <summary>Adds a coin.</summary>
    /// <exception cref="ArgumentException">A coin with this id exists.</exception>
    public void Add(Hash256 id, CoinOutput coin)
    {
        Writable(ShardOf(id)).Add(id, coin);
        _count++;
    }

    /// <summary>Removes a coin, returning it.</summary>
    public bool Remove(Hash256 id, out CoinOutput coin)
    {
        if (!Writable(ShardOf(id)).Remove(id, out coin))
        {
            return false;
        }

        _count--;
        return true;
    }

    /// <summary>
    /// A read-only view of the coins as they are now, which later writes never change: the shard array copied
    /// (32 KB), the shards themselves shared until a write clones them.
    /// </summary>
    public CoinTableView Capture()
    {
        _epoch++;
        return new CoinTableView((Dictionary<Hash256, CoinOutput>[])_shards.Clone(), _count);
    }

    /// <summary>Writes the coin count and the coins strictly increasing by id (the snapshot's coin section).</summary>
    public void WriteTo(ref CanonicalWriter writer) => CoinShards.Write(ref writer, _shards, _count);

    /// <summary>Every coin, shard by shard (in no useful order within a shard).</summary>
    public IEnumerator<KeyValuePair<Hash256, CoinOutput>> GetEnumerator() => CoinShards.Enumerate(_shards);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Slots of the largest shard's entries (tests: EnsureCapacity(0) only reads the capacity).</summary>
    internal int LargestShardSlots()
    {
        int largest = 0;
        foreach (Dictionary<Hash256, CoinOutput> shard in _shards)
        {
            largest = Math.Max(largest, shard.EnsureCapacity(0));
        }

        return largest;
    }

    /// <summary>The shard of <paramref name="id"/>: its top <see cref="ShardBits"/> bits, so shards are in id order.</summary>
    internal static int ShardOf(Hash256 id) => (int)(id.Prefix >> (64 - ShardBits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Dictionary<Hash256, CoinOutput> Writable(int shard) =>
        _madeIn[shard] == _epoch ? _shards[shard] : Clone(shard);

    // Not inlined: the copy happens once per shard per capture, and keeping it out keeps the write path small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Dictionary<Hash256, CoinOutput> Clone(int shard)
    {
        // The copy constructor copies the entries with their stored hash codes: no key is hashed again.
        Dictionary<Hash256, CoinOutput> source = _shards[shard];
        Dictionary<Hash256, CoinOutput> copy = ReferenceEquals(source, NoCoins) ? new(_firstCapacity) : new(source);
        _shards[shard] = copy;
        _madeIn[shard] = _epoch;
        return copy;
    }
}
