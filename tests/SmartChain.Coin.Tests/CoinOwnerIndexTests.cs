using SmartChain.Core.Crypto;

namespace SmartChain.Coin.Tests;

/// <summary>
/// The owner index records a batch's changes and applies them at <see cref="CoinOwnerIndex.Publish"/>: what readers see
/// after each publish must be exactly a plain model's state, and nothing of a batch before it.
/// </summary>
public class CoinOwnerIndexTests
{
    private static Ed25519PublicKey Owner(int i) => new([.. Enumerable.Repeat((byte)(i + 1), Ed25519PublicKey.Size)]);

    private static List<(Hash256 Id, ulong Value)> All(CoinOwnerIndex index, int owner) => index.Page(Owner(owner), null, int.MaxValue).Page;

    [Fact]
    public void Published_state_matches_a_plain_model_after_every_batch_of_random_adds_and_removes()
    {
        var index = new CoinOwnerIndex();
        var model = new Dictionary<int, Dictionary<Hash256, ulong>>();
        var random = new Random(16);
        int next = 0;
        int largest = 0;
        for (int batch = 0; batch < 90; batch++)
        {
            // Owners grow past several chunks first (splits), then shrink (merges, shrinking chunks, emptied owners).
            int removeOneIn = batch < 45 ? 4 : batch < 80 ? 1 : 2;
            var before = Enumerable.Range(0, 5).ToDictionary(o => o, o => (All(index, o), index.Balance(Owner(o))));
            for (int op = random.Next(1, 120); op > 0; op--)
            {
                int owner = random.Next(5);
                Dictionary<Hash256, ulong> coins = model.TryGetValue(owner, out var held) ? held : model[owner] = [];
                bool remove = coins.Count > 0 && (removeOneIn == 1 ? random.Next(4) != 0 : random.Next(removeOneIn) == 0);
                if (remove)
                {
                    Hash256 spent = coins.Keys.ElementAt(random.Next(coins.Count));
                    index.Remove(Owner(owner), spent, coins[spent]);
                    coins.Remove(spent);
                }
                else
                {
                    Hash256 id = Hash256.Compute(BitConverter.GetBytes(next++));
                    ulong value = (ulong)random.Next(1, 1000);
                    index.Add(Owner(owner), id, value);
                    coins[id] = value;
                }
            }

            // Nothing of the batch is visible before it is published.
            foreach ((int owner, (List<(Hash256, ulong)> coins, (int, UInt128) balance)) in before)
            {
                Assert.Equal(coins, All(index, owner));
                Assert.Equal(balance, index.Balance(Owner(owner)));
            }

            index.Publish();
            largest = Math.Max(largest, model.Values.Max(m => m.Count));
            for (int owner = 0; owner < 5; owner++)
            {
                Dictionary<Hash256, ulong> expected = model.GetValueOrDefault(owner) ?? [];
                Assert.Equal(expected.OrderBy(c => c.Key).Select(c => (c.Key, c.Value)), All(index, owner));
                Assert.Equal((expected.Count, (UInt128)expected.Values.Aggregate(0UL, (a, v) => a + v)), index.Balance(Owner(owner)));
                Assert.Equal(expected.Count > 0, index.Owns(Owner(owner)));

                // Pages from cursors (every fifth batch, to stay fast): a coin's own id, and ids between coins.
                if (batch % 5 != 0)
                {
                    continue;
                }

                var sorted = expected.Keys.Order().ToList();
                Hash256 between = Hash256.Compute(BitConverter.GetBytes(-batch - 1));
                foreach (Hash256 cursor in sorted.Where((_, i) => i % 31 == 0).Append(between))
                {
                    (List<(Hash256 Id, ulong Value)> page, bool more) = index.Page(Owner(owner), cursor, 10);
                    var after = sorted.Where(id => id.CompareTo(cursor) > 0).ToList();
                    Assert.Equal(after.Take(10), page.Select(c => c.Id));
                    Assert.Equal(after.Count > 10, more);
                }
            }
        }

        Assert.True(largest > 3 * OwnerCoinList.ChunkMax, $"the largest owner held {largest} coins: too few to split chunks");
    }

    [Fact]
    public void An_owner_emptied_and_refilled_within_one_batch_holds_only_the_new_coins()
    {
        var index = new CoinOwnerIndex();
        Hash256 a = Hash256.Compute("a"u8);
        Hash256 b = Hash256.Compute("b"u8);
        index.Add(Owner(0), a, 5);
        index.Publish();

        index.Remove(Owner(0), a, 5);
        index.Add(Owner(0), b, 7);
        index.Remove(Owner(9), b, 7); // an owner the index never held: nothing happens
        Assert.Equal([(a, 5UL)], All(index, 0));
        index.Publish();

        Assert.Equal([(b, 7UL)], All(index, 0));
        Assert.Equal((1, (UInt128)7), index.Balance(Owner(0)));
        Assert.False(index.Owns(Owner(9)));
        Assert.Empty(All(index, 9));
    }

    [Fact]
    public void Spending_an_owners_coins_in_id_order_keeps_its_chunks_more_than_half_full_on_average()
    {
        // An owner chooses which of its coins to spend: spending them in id order and keeping one in 33 empties each
        // chunk from its left. Unless a chunk also merges with the one before it, every chunk is left with a coin or
        // two, so every later change to the owner moves one chunk reference per coin held (and memory per coin grows
        // several times). Two neighbouring chunks must always hold more than half a chunk between them.
        var list = new OwnerCoinList();
        var ids = Enumerable.Range(0, 64 * OwnerCoinList.ChunkMax).Select(i => Hash256.Compute(BitConverter.GetBytes(i))).ToList();
        foreach (Hash256 id in ids)
        {
            Assert.True(list.Add(id, 1));
        }

        ids.Sort();
        var kept = new List<(Hash256 Id, ulong Value)>();
        for (int i = 0; i < ids.Count; i++)
        {
            if (i % 33 == 0)
            {
                kept.Add((ids[i], 1));
                continue;
            }

            Assert.True(list.Remove(ids[i]));
            int bound = (2 * list.Count / ((OwnerCoinList.ChunkMax / 2) + 1)) + 1;
            Assert.True(list.ChunkCount <= bound, $"{list.ChunkCount} chunks for {list.Count} coins (at most {bound}) after {i + 1} spends");
        }

        var page = new List<(Hash256 Id, ulong Value)>();
        Assert.True(list.TryReadPage(null, int.MaxValue, page, out bool more));
        Assert.False(more);
        Assert.Equal(kept, page);
    }

    [Fact]
    public void A_reader_that_every_batch_overlaps_is_still_answered_within_a_bounded_number_of_reads()
    {
        // Execution publishes after every batch and never waits; a page of 1,024 coins takes microseconds to copy, so
        // when batches come back to back (catching up, small batches) a reader can overlap a write section on every try.
        // Here a whole Publish runs inside each of the reader's reads: the reader must still be answered, with a state
        // some publish produced, and in a bounded number of tries instead of retrying for as long as batches keep coming.
        var index = new CoinOwnerIndex();
        var coins = Enumerable.Range(0, 300).Select(i => (Id: Hash256.Compute(BitConverter.GetBytes(i)), Value: (ulong)i + 1)).ToList();
        foreach ((Hash256 id, ulong value) in coins)
        {
            index.Add(Owner(0), id, value);
        }

        index.Publish();
        var held = new SortedDictionary<Hash256, ulong>(coins.ToDictionary(c => c.Id, c => c.Value));
        var firstPages = new HashSet<string> { Fingerprint([.. held.Take(100).Select(c => (c.Key, c.Value))]) };
        int reads = 0;
        int next = 1_000;
        index.AfterReadForTests = () =>
        {
            if (++reads > 1_000)
            {
                throw new InvalidOperationException($"the reader was still retrying after {reads - 1} reads, each overlapped by a batch");
            }

            // A batch that pays the reader's owner a coin and another owner a coin: it changes what the reader reads.
            Hash256 paid = Hash256.Compute(BitConverter.GetBytes(next));
            index.Add(Owner(0), paid, 1);
            index.Add(Owner(1), Hash256.Compute(BitConverter.GetBytes(next + 1)), 1);
            next += 2;
            index.Publish();
            held[paid] = 1;
            firstPages.Add(Fingerprint([.. held.Take(100).Select(c => (c.Key, c.Value))]));
        };

        (List<(Hash256 Id, ulong Value)> page, bool more) = index.Page(Owner(0), null, 100);
        (int count, UInt128 total) = index.Balance(Owner(0));
        bool owns = index.Owns(Owner(1));
        index.AfterReadForTests = null;

        Assert.True(reads <= 100, $"{reads} reads");
        Assert.True(more);
        Assert.Contains(Fingerprint(page), firstPages); // as some publish left it (paid coins sort among the first 100)
        Assert.InRange(count, coins.Count + 1, (int)All(index, 0).Count);
        Assert.Equal((UInt128)coins.Sum(c => (long)c.Value) + (UInt128)(count - coins.Count), total);
        Assert.True(owns);
    }

    [Fact]
    public async Task A_reader_on_another_thread_only_ever_sees_whole_published_batches()
    {
        // Every batch spends all of the owner's coins and pays it new ones, so any half-applied batch is a state that
        // was never published (and for a moment an owner without coins); the reader must never see one.
        var index = new CoinOwnerIndex();
        var published = new HashSet<string>();
        var held = new List<(Hash256 Id, ulong Value)>();
        int next = 0;
        void Pay(int count)
        {
            for (int i = 0; i < count; i++)
            {
                Hash256 id = Hash256.Compute(BitConverter.GetBytes(next++));
                held.Add((id, (ulong)(next % 50) + 1));
                index.Add(Owner(0), id, held[^1].Value);
            }
        }

        Pay(150);
        lock (published)
        {
            published.Add(Fingerprint(held.OrderBy(c => c.Id).ToList()));
        }

        index.Publish();
        using var done = new CancellationTokenSource();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int reads = 0;
        string? bad = null;
        Task reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested && bad is null)
            {
                if (!index.Owns(Owner(0)))
                {
                    bad = "the owner held no coin";
                }

                string seen = Fingerprint(index.Page(Owner(0), null, int.MaxValue).Page);
                lock (published)
                {
                    bad ??= published.Contains(seen) ? null : "a state that was never published";
                }

                Interlocked.Increment(ref reads);
                reading.TrySetResult();
            }
        });

        await reading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (int batch = 0; (batch < 200 || Volatile.Read(ref reads) < 100) && batch < 20_000 && bad is null; batch++)
        {
            foreach ((Hash256 id, ulong value) in held)
            {
                index.Remove(Owner(0), id, value);
            }

            held.Clear();
            Pay(100 + (batch % 90));
            lock (published)
            {
                published.Add(Fingerprint(held.OrderBy(c => c.Id).ToList()));
            }

            index.Publish();
        }

        done.Cancel();
        await reader.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(bad);
        Assert.True(reads >= 100, $"{reads} reads");
    }

    private static string Fingerprint(List<(Hash256 Id, ulong Value)> coins) =>
        string.Join(',', coins.Select(c => $"{c.Id}:{c.Value}"));
}
