using SmartChain.Core.Crypto;

namespace SmartChain.Coin;

/// <summary>
/// One owner's coins sorted by id, with their count and total, in place: a list of sorted chunks of at most
/// <see cref="ChunkMax"/> coins, so adding or removing a coin moves at most one chunk's entries (and, when a chunk
/// splits or empties, the chunk references), O(log n + 64) for any owner, and allocates nothing unless a chunk grows,
/// splits or shrinks. Changed by one writer (the execution thread, inside <see cref="CoinOwnerIndex"/>'s write
/// section); read by any thread concurrently, so a reader can see a half-changed list: the read methods never throw and
/// never loop on such a view (every index is clamped, every reference checked) and say whether it looked consistent,
/// and <see cref="CoinOwnerIndex"/> discards every read that overlapped a write section (a sequence lock).
/// </summary>
internal sealed class OwnerCoinList
{
    /// <summary>Coins per chunk at most; a full chunk splits in two halves.</summary>
    public const int ChunkMax = 64;

    private const int MinCapacity = 4;

    private Chunk[] _chunks = new Chunk[1];
    private int _chunkCount;
    private int _count;
    private UInt128 _total;

    private sealed class Chunk(int capacity)
    {
        public (Hash256 Id, ulong Value)[] Items = new (Hash256 Id, ulong Value)[capacity];
        public int Count;
    }

    /// <summary>Coins held (writer; a reader's value is only good once its read is validated).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Their total (can exceed 2^64; same caveat as <see cref="Count"/>).</summary>
    public UInt128 Total => _total;

    /// <summary>Chunks in use (writer; what bounds the chunk references a split, merge or emptied chunk moves).</summary>
    public int ChunkCount => _chunkCount;

    /// <summary>Adds a coin (writer); false if the id is already held.</summary>
    public bool Add(Hash256 id, ulong value)
    {
        if (_chunkCount == 0)
        {
            InsertChunk(0, new Chunk(MinCapacity));
        }

        int c = ChunkFor(id);
        Chunk chunk = _chunks[c];
        int at = Array.BinarySearch(chunk.Items, 0, chunk.Count, (id, 0UL), ById.Instance);
        if (at >= 0)
        {
            return false;
        }

        at = ~at;
        if (chunk.Count == ChunkMax)
        {
            // Split: the upper half moves to a new chunk right after this one.
            const int half = ChunkMax / 2;
            var right = new Chunk(ChunkMax);
            Array.Copy(chunk.Items, half, right.Items, 0, half);
            right.Count = half;
            chunk.Count = half;
            InsertChunk(c + 1, right);
            if (at > half)
            {
                chunk = right;
                at -= half;
            }
        }
        else if (chunk.Count == chunk.Items.Length)
        {
            Resize(chunk, chunk.Items.Length * 2);
        }

        Array.Copy(chunk.Items, at, chunk.Items, at + 1, chunk.Count - at);
        chunk.Items[at] = (id, value);
        chunk.Count++;
        _count++;
        _total += value;
        return true;
    }

    /// <summary>Removes a coin (writer); false if the id is not held.</summary>
    public bool Remove(Hash256 id)
    {
        if (_chunkCount == 0)
        {
            return false;
        }

        int c = ChunkFor(id);
        Chunk chunk = _chunks[c];
        int at = Array.BinarySearch(chunk.Items, 0, chunk.Count, (id, 0UL), ById.Instance);
        if (at < 0)
        {
            return false;
        }

        ulong value = chunk.Items[at].Value;
        Array.Copy(chunk.Items, at + 1, chunk.Items, at, chunk.Count - at - 1);
        chunk.Count--;
        _count--;
        _total -= value;
        // Keep chunks from thinning out: any two neighbours hold more than ChunkMax / 2 coins (a split leaves 32 and 33,
        // an add only grows a chunk, and a removal merges with whichever neighbour it now fits with, which keeps that
        // true for the merged chunk's own neighbours), so an owner of n coins has at most 2n / 33 + 1 chunks. Merging
        // with the next chunk only is not enough: an owner spending its coins in id order empties each chunk from its
        // left and would be left with one chunk per coin or two, and every later split, merge or emptied chunk would
        // move that many references (CoinOwnerIndexTests, spending in id order).
        if (chunk.Count == 0)
        {
            RemoveChunk(c); // each neighbour held more than ChunkMax / 2 with this last coin, so the two still do together
        }
        else if (c + 1 < _chunkCount && chunk.Count + _chunks[c + 1].Count <= ChunkMax / 2)
        {
            MergeWithNext(c);
        }
        else if (c > 0 && _chunks[c - 1].Count + chunk.Count <= ChunkMax / 2)
        {
            MergeWithNext(c - 1);
        }
        else if (chunk.Items.Length > MinCapacity && chunk.Count * 4 <= chunk.Items.Length)
        {
            Resize(chunk, chunk.Items.Length / 2); // memory stays within a few times the coins held
        }

        return true;
    }

    /// <summary>
    /// Reader: appends to <paramref name="page"/> up to <paramref name="max"/> coins with ids above
    /// <paramref name="after"/> (all when null), in id order, and says whether more follow. Returns false if the view
    /// was visibly inconsistent (a concurrent write); a true result is still only good once the read is validated.
    /// </summary>
    public bool TryReadPage(Hash256? after, int max, List<(Hash256 Id, ulong Value)> page, out bool more)
    {
        more = false;
        Chunk[] chunks = Volatile.Read(ref _chunks);
        int chunkCount = Math.Min(Volatile.Read(ref _chunkCount), chunks.Length);
        int c = 0;
        int at = 0;
        if (after is { } cursor)
        {
            // The first chunk whose last id is above the cursor, then the first id above it in that chunk.
            int lo = 0;
            int hi = chunkCount;
            while (lo < hi)
            {
                int mid = lo + ((hi - lo) / 2);
                if (!TryView(chunks[mid], out (Hash256 Id, ulong Value)[] items, out int count))
                {
                    return false;
                }

                if (items[count - 1].Id.CompareTo(cursor) <= 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            c = lo;
            if (c < chunkCount)
            {
                if (!TryView(chunks[c], out (Hash256 Id, ulong Value)[] items, out int count))
                {
                    return false;
                }

                at = Array.BinarySearch(items, 0, count, (cursor, 0UL), ById.Instance);
                at = at >= 0 ? at + 1 : ~at;
            }
        }

        for (; c < chunkCount; c++, at = 0)
        {
            if (!TryView(chunks[c], out (Hash256 Id, ulong Value)[] items, out int count))
            {
                return false;
            }

            for (; at < count; at++)
            {
                if (page.Count == max)
                {
                    more = true;
                    return true;
                }

                page.Add(items[at]);
            }
        }

        return true;
    }

    // A chunk as a reader may see it: null or empty only while a write is under way.
    private static bool TryView(Chunk? chunk, out (Hash256 Id, ulong Value)[] items, out int count)
    {
        items = chunk?.Items ?? [];
        count = Math.Min(chunk?.Count ?? 0, items.Length);
        return count > 0;
    }

    // The chunk that holds or would hold id: the first whose last id is at or above it, else the last one.
    private int ChunkFor(Hash256 id)
    {
        int lo = 0;
        int hi = _chunkCount - 1;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo) / 2);
            Chunk chunk = _chunks[mid];
            if (chunk.Items[chunk.Count - 1].Id.CompareTo(id) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    // Moves chunk c + 1's coins to the end of chunk c (together at most ChunkMax / 2) and drops chunk c + 1.
    private void MergeWithNext(int c)
    {
        Chunk chunk = _chunks[c];
        Chunk next = _chunks[c + 1];
        if (chunk.Items.Length < chunk.Count + next.Count)
        {
            Resize(chunk, ChunkMax / 2);
        }

        Array.Copy(next.Items, 0, chunk.Items, chunk.Count, next.Count);
        chunk.Count += next.Count;
        RemoveChunk(c + 1);
    }

    private static void Resize(Chunk chunk, int capacity)
    {
        var items = new (Hash256 Id, ulong Value)[capacity];
        Array.Copy(chunk.Items, items, chunk.Count);
        chunk.Items = items; // a reader holding the old array still reads a whole, older chunk
    }

    private void InsertChunk(int at, Chunk chunk)
    {
        if (_chunkCount == _chunks.Length)
        {
            var grown = new Chunk[_chunks.Length * 2];
            Array.Copy(_chunks, grown, _chunkCount);
            _chunks = grown;
        }

        Array.Copy(_chunks, at, _chunks, at + 1, _chunkCount - at);
        _chunks[at] = chunk;
        _chunkCount++;
    }

    private void RemoveChunk(int at)
    {
        Array.Copy(_chunks, at + 1, _chunks, at, _chunkCount - at - 1);
        _chunkCount--;
        _chunks[_chunkCount] = null!; // nothing kept alive past the end
    }

    private sealed class ById : IComparer<(Hash256 Id, ulong Value)>
    {
        public static readonly ById Instance = new();

        public int Compare((Hash256 Id, ulong Value) x, (Hash256 Id, ulong Value) y) => x.Id.CompareTo(y.Id);
    }
}
