using System.Collections;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin;

/// <summary>
/// The coins as they were at a <see cref="CoinTable.Capture"/>, read-only and never changed by later writes to the
/// table: it shares the table's shards, which the table copies before it writes one again. Safe to read on any thread
/// (several at once) once handed over through anything that orders memory (a task, a channel, a lock).
/// </summary>
public sealed class CoinTableView : IEnumerable<KeyValuePair<Hash256, CoinOutput>>
{
    private readonly Dictionary<Hash256, CoinOutput>[] _shards;

    internal CoinTableView(Dictionary<Hash256, CoinOutput>[] shards, int count)
    {
        _shards = shards;
        Count = count;
    }

    /// <summary>Number of coins at the capture.</summary>
    public int Count { get; }

    /// <summary>Looks a coin up as it was at the capture.</summary>
    public bool TryGetValue(Hash256 id, out CoinOutput coin) => _shards[CoinTable.ShardOf(id)].TryGetValue(id, out coin);

    /// <summary>Writes the coin count and the coins strictly increasing by id (the snapshot's coin section).</summary>
    public void WriteTo(ref CanonicalWriter writer) => CoinShards.Write(ref writer, _shards, Count);

    /// <summary>Every coin at the capture, shard by shard (in no useful order within a shard).</summary>
    public IEnumerator<KeyValuePair<Hash256, CoinOutput>> GetEnumerator() => CoinShards.Enumerate(_shards);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
