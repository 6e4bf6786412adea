using System.Collections.Concurrent;

namespace SmartChain.Core.Crypto;

/// <summary>
/// Inner-node hashes already computed, by their two children, so that proofs into the same tree share the work of their
/// common upper levels. A client that checks the receipt of every transaction of a block (a load generator does) hashes
/// each inner node of the block's two trees once, not once per receipt: about one node per tree and receipt instead of
/// log2 of the block's size. Thread-safe; bounded: it forgets everything once it holds its capacity. Only the nodes of
/// paths that reached their root are remembered (<see cref="MerkleProof.VerifyLeafHash"/>).
/// </summary>
/// <remarks>
/// An inner node is a pure function of its children, SHA-256(0x01 ‖ left ‖ right), and the memo only ever holds what
/// that function returned for the very children looked up, so a proof verified through it succeeds or fails exactly as
/// without it: a forged path's nodes are computed (and fail to reach the root) like any other. The dictionary hashes its
/// keys with the process's randomized string hash, so children chosen by an adversary cannot pile into one bucket.
/// </remarks>
public sealed class MerkleNodeMemo
{
    private readonly ConcurrentDictionary<(Hash256 Left, Hash256 Right), Hash256> _nodes = new();
    private readonly int _capacity;

    // Counted here rather than with the dictionary's Count, which takes every one of its locks.
    private int _count;
    private long _hits;

    /// <summary>A memo that holds up to <paramref name="capacity"/> nodes before it starts over.</summary>
    public MerkleNodeMemo(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>Inner nodes answered from the memo (for tests and measurements).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>True, with the node, if the inner node over <paramref name="left"/> and <paramref name="right"/> is remembered.</summary>
    public bool TryGet(Hash256 left, Hash256 right, out Hash256 node)
    {
        if (_nodes.TryGetValue((left, right), out node))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Remembers <paramref name="node"/>, which the caller computed as <see cref="MerkleTree.HashNode"/> of
    /// <paramref name="left"/> and <paramref name="right"/> on a path that reached its root: a forged path's nodes are never
    /// added, so replies with junk paths cannot churn the memo.
    /// </summary>
    internal void Remember(Hash256 left, Hash256 right, Hash256 node)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            // Two threads may both clear: the bound holds either way, and a forgotten node is only computed again.
            _nodes.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _nodes.TryAdd((left, right), node);
    }
}
