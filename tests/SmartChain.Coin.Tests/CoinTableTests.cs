using System.Buffers;
using System.Buffers.Binary;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin.Tests;

/// <summary>The copy-on-write coin table: its bytes are the old dictionary's, and a captured view never moves.</summary>
public sealed class CoinTableTests
{
    private static readonly Ed25519PublicKey[] Owners = [.. Enumerable.Range(1, 5).Select(i => new Ed25519PublicKey(Bytes(i)))];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_adds_and_removes_encode_byte_for_byte_as_the_old_dictionary_and_every_view_keeps_its_bytes(int seed)
    {
        var random = new Random(seed);
        var table = new CoinTable();
        var model = new Dictionary<Hash256, CoinOutput>();
        var live = new List<Hash256>();
        var removed = new List<Hash256>();
        var views = new List<(CoinTableView View, byte[] Expected, int Count)>();

        // Hot shards (both ends among them) get a third of the ids, so captured shards are written, emptied and
        // re-filled again and again, and some are captured several times without a write in between.
        int[] hot = [0, 1, 777, CoinTable.ShardCount - 1];
        for (int step = 0; step < 6_000; step++)
        {
            int roll = random.Next(100);
            if (roll < 50 || live.Count == 0)
            {
                Hash256 id = random.Next(3) == 0 ? IdIn(random, hot[random.Next(hot.Length)]) : Id(random);
                Put(id);
            }
            else if (roll < 85)
            {
                int at = random.Next(live.Count);
                Hash256 id = live[at];
                live[at] = live[^1];
                live.RemoveAt(live.Count - 1);
                Assert.True(table.Remove(id, out CoinOutput coin));
                Assert.True(model.Remove(id, out CoinOutput expected));
                Assert.Equal(expected, coin);
                removed.Add(id);
            }
            else if (removed.Count > 0)
            {
                int at = random.Next(removed.Count);
                Hash256 id = removed[at];
                removed[at] = removed[^1];
                removed.RemoveAt(removed.Count - 1);
                Put(id); // the same id again, with a new owner and value
            }

            if (random.Next(400) == 0)
            {
                views.Add((table.Capture(), OldSnapshotEncoding.CoinSection(model), model.Count));
                if (random.Next(2) == 0)
                {
                    views.Add((table.Capture(), OldSnapshotEncoding.CoinSection(model), model.Count)); // twice in a row
                }
            }
        }

        Assert.Equal(model.Count, table.Count);
        Assert.Equal(OldSnapshotEncoding.CoinSection(model), Encode(table));
        Assert.True(views.Count >= 10, $"only {views.Count} captures");
        foreach ((CoinTableView view, byte[] expected, int count) in views)
        {
            Assert.Equal(count, view.Count);
            Assert.Equal(expected, Encode(view));
        }

        void Put(Hash256 id)
        {
            var coin = new CoinOutput(Owners[random.Next(Owners.Length)], (ulong)random.NextInt64(1, long.MaxValue));
            Assert.False(table.ContainsKey(id));
            table.Add(id, coin);
            model.Add(id, coin);
            live.Add(id);
            Assert.True(table.TryGetValue(id, out CoinOutput back));
            Assert.Equal(coin, back);
        }
    }

    [Fact]
    public void A_view_never_sees_a_later_write_and_each_capture_sees_its_own_state()
    {
        var random = new Random(7);
        Hash256 a = IdIn(random, 5), b = IdIn(random, 5), c = IdIn(random, 6), d = IdIn(random, 7), e = IdIn(random, 5), f = IdIn(random, 7);
        var table = new CoinTable();
        table.Add(a, Coin(0, 1));
        table.Add(b, Coin(1, 2));
        table.Add(c, Coin(2, 3));
        table.Add(d, Coin(3, 4));

        CoinTableView first = table.Capture();
        Assert.True(table.Remove(a, out _));   // shard 5, shared with `first`: cloned
        table.Add(e, Coin(4, 5));             // shard 5 again, now the table's own
        table.Add(a, Coin(0, 10));            // a re-added, another value

        CoinTableView second = table.Capture();
        CoinTableView third = table.Capture(); // no write in between: shards 5, 6, 7 shared by two or three views
        Assert.True(table.Remove(c, out _));   // shard 6, shared by all three
        table.Add(f, Coin(1, 6));             // shard 7, shared by all three
        Assert.True(table.Remove(b, out _));
        Assert.False(table.Remove(b, out _));

        Assert.Equal(Contents((a, Coin(0, 1)), (b, Coin(1, 2)), (c, Coin(2, 3)), (d, Coin(3, 4))), Contents(first));
        Dictionary<Hash256, CoinOutput> atSecond = Contents((a, Coin(0, 10)), (b, Coin(1, 2)), (c, Coin(2, 3)), (d, Coin(3, 4)), (e, Coin(4, 5)));
        Assert.Equal(atSecond, Contents(second));
        Assert.Equal(atSecond, Contents(third));
        Assert.Equal(Contents((a, Coin(0, 10)), (d, Coin(3, 4)), (e, Coin(4, 5)), (f, Coin(1, 6))), Contents(table));

        Assert.Equal((4, 5, 5, 4), (first.Count, second.Count, third.Count, table.Count));
        Assert.True(first.TryGetValue(a, out CoinOutput old) && old == Coin(0, 1));
        Assert.False(first.TryGetValue(e, out _));
        Assert.True(third.TryGetValue(c, out _));
        Assert.False(table.ContainsKey(c));
        Assert.Equal(OldSnapshotEncoding.CoinSection(atSecond), Encode(second));
        Assert.Equal(Encode(second), Encode(third));
    }

    [Fact]
    public void A_capture_allocates_only_the_shard_array_and_the_first_write_after_it_one_small_shard()
    {
        var random = new Random(11);
        var table = new CoinTable();
        var ids = new Hash256[200_000];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = Id(random);
            table.Add(ids[i], Coin(i % Owners.Length, (ulong)i + 1));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        CoinTableView view = table.Capture();
        long capture = GC.GetAllocatedBytesForCurrentThread() - before;

        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.True(table.Remove(ids[0], out _));
        table.Add(Id(random), Coin(0, 1));
        long firstWrites = GC.GetAllocatedBytesForCurrentThread() - before;

        // The old capture copied the whole table: 200,000 entries of 80 bytes, about 16 MB, on the large-object heap.
        Assert.InRange(capture, 1, (CoinTable.ShardCount * IntPtr.Size) + 1024);
        Assert.InRange(firstWrites, 1, 2 * 85_000); // two shards (about 100 coins each) copied, perhaps one grown
        Assert.Equal(ids.Length, view.Count);
        Assert.True(view.TryGetValue(ids[0], out _));
    }

    [Fact]
    public void At_a_million_coins_no_shard_reaches_the_large_object_heap_even_after_a_capture_and_growth()
    {
        var random = new Random(13);
        var table = new CoinTable();
        var ids = new Hash256[1_000_000];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = Id(random);
            table.Add(ids[i], Coin(0, 1));
        }

        // A capture, so the writes below clone shards at their exact size, then 10% more coins than were spent.
        _ = table.Capture();
        for (int i = 0; i < 100_000; i++)
        {
            Assert.True(table.Remove(ids[i], out _));
        }

        for (int i = 0; i < 110_000; i++)
        {
            table.Add(Id(random), Coin(1, 2));
        }

        // An entry is 80 B (4 + 4 + 32-byte id + 40-byte coin); an array of 85,000 B or more goes to the large-object heap.
        Assert.Equal(1_010_000, table.Count);
        Assert.InRange(table.LargestShardSlots() * 80, 1, 85_000 - 32);
    }

    private static CoinOutput Coin(int owner, ulong value) => new(Owners[owner], value);

    private static byte[] Bytes(int seed)
    {
        byte[] bytes = new byte[32];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static Hash256 Id(Random random)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        return new Hash256(bytes);
    }

    // A random id whose top bits put it in `shard`.
    private static Hash256 IdIn(Random random, int shard)
    {
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(bytes) >> CoinTable.ShardBits;
        BinaryPrimitives.WriteUInt64BigEndian(bytes, ((ulong)shard << (64 - CoinTable.ShardBits)) | low);
        var id = new Hash256(bytes);
        Assert.Equal(shard, CoinTable.ShardOf(id));
        return id;
    }

    private static Dictionary<Hash256, CoinOutput> Contents(params (Hash256 Id, CoinOutput Coin)[] coins) =>
        coins.ToDictionary(c => c.Id, c => c.Coin);

    private static Dictionary<Hash256, CoinOutput> Contents(IEnumerable<KeyValuePair<Hash256, CoinOutput>> coins) => new(coins);

    private static byte[] Encode(CoinTable table)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new CanonicalWriter(output);
        table.WriteTo(ref writer);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Encode(CoinTableView view)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new CanonicalWriter(output);
        view.WriteTo(ref writer);
        return output.WrittenSpan.ToArray();
    }
}
