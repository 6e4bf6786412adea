using System.Buffers;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin;

/// <summary>What <see cref="CoinTable"/> and <see cref="CoinTableView"/> do alike over an array of shards in id order.</summary>
internal static class CoinShards
{
    /// <summary>
    /// Writes u32 count, then every coin strictly increasing by id (32 B id · 32 B owner · u64 value): shard by shard,
    /// each sorted on its own, which is the global order because shards are ranges of ids.
    /// </summary>
    public static void Write(ref CanonicalWriter writer, Dictionary<Hash256, CoinOutput>[] shards, int count)
    {
        writer.WriteCount(count, int.MaxValue);
        int largest = 0;
        foreach (Dictionary<Hash256, CoinOutput> shard in shards)
        {
            largest = Math.Max(largest, shard.Count);
        }

        int written = 0;
        Hash256[] ids = ArrayPool<Hash256>.Shared.Rent(largest);
        try
        {
            foreach (Dictionary<Hash256, CoinOutput> shard in shards)
            {
                // Enumerated rather than Keys.CopyTo: Keys caches a collection object in the dictionary, a write,
                // and views read shards on another thread than the table's; enumeration and lookups write nothing.
                int n = 0;
                foreach (KeyValuePair<Hash256, CoinOutput> pair in shard)
                {
                    ids[n++] = pair.Key;
                }

                Span<Hash256> sorted = ids.AsSpan(0, n);
                sorted.Sort();
                foreach (Hash256 id in sorted)
                {
                    CoinOutput coin = shard[id];
                    id.WriteTo(ref writer);
                    coin.Owner.WriteTo(ref writer);
                    writer.WriteUInt64(coin.Value);
                }

                written += sorted.Length;
            }
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(ids);
        }

        // The count went out first: a table whose count drifted from its shards would write a snapshot that no
        // replica could read back, and one that hashes differently from its peers'.
        if (written != count)
        {
            throw new InvariantViolationException($"the coin table counts {count} coins but its shards hold {written}");
        }
    }

    /// <summary>Every coin, shard by shard.</summary>
    public static IEnumerator<KeyValuePair<Hash256, CoinOutput>> Enumerate(Dictionary<Hash256, CoinOutput>[] shards)
    {
        foreach (Dictionary<Hash256, CoinOutput> shard in shards)
        {
            foreach (KeyValuePair<Hash256, CoinOutput> coin in shard)
            {
                yield return coin;
            }
        }
    }
}
