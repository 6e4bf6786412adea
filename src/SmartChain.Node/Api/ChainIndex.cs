using System.Collections.Concurrent;
using SmartChain.Core.Crypto;
using SmartChain.Ledger;

namespace SmartChain.Node.Api;

/// <summary>
/// Transaction ids and block hashes of the most recent blocks, for lookups by id or hash. Written by the one follower
/// task, read by any request thread; bounded in both counts, the oldest forgotten first.
/// </summary>
internal sealed class ChainIndex(int maxTransactions, int maxBlocks)
{
    private readonly ConcurrentDictionary<Hash256, TxLocation> _transactions = new();
    private readonly ConcurrentDictionary<Hash256, long> _blocks = new();
    private readonly Queue<Hash256> _transactionOrder = new(); // follower only
    private readonly Queue<Hash256> _blockOrder = new(); // follower only

    public TxLocation? Transaction(Hash256 id) => _transactions.TryGetValue(id, out TxLocation at) ? at : null;

    public long? Block(Hash256 hash) => _blocks.TryGetValue(hash, out long number) ? number : null;

    /// <summary>Indexes <paramref name="block"/>; only the follower calls it, in block order.</summary>
    public void Add(Block block)
    {
        Hash256 hash = block.Hash;
        if (_blocks.TryAdd(hash, block.Header.Number))
        {
            _blockOrder.Enqueue(hash);
            while (_blockOrder.Count > maxBlocks)
            {
                _blocks.TryRemove(_blockOrder.Dequeue(), out _);
            }
        }

        IReadOnlyList<ReadOnlyMemory<byte>> entries = block.Body.Entries;
        for (int i = 0; i < entries.Count; i++)
        {
            // A transaction's id is its request digest, SHA-256 of the signed bytes the entry holds.
            Hash256 id = Hash256.Compute(entries[i].Span);
            if (_transactions.TryAdd(id, new TxLocation(block.Header.Number, i)))
            {
                _transactionOrder.Enqueue(id);
            }
        }

        while (_transactionOrder.Count > maxTransactions)
        {
            _transactions.TryRemove(_transactionOrder.Dequeue(), out _);
        }
    }
}
