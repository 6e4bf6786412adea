using System.Collections.Concurrent;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;
using SmartChain.Network.Client;

namespace SmartChain.Client;

/// <summary>
/// Checks the receipt a strong-mode reply carries, so one reply is enough: the receipt must verify against the view that
/// certifies its block (one the client has verified, followed through reconfiguration blocks), be about this very request
/// and prove this very result. What every receipt of a block shares is worked out once and remembered, since a load
/// generator checks the receipt of every transaction of every block: whether the header's certificate holds (by header,
/// field for field, which is the header's bytes and so its hash, without hashing it) and the inner nodes of the block's
/// Merkle trees (<see cref="MerkleNodeMemo"/>). The memory is shared by every client in the process (a load generator
/// runs many): whether Q members of a view signed a header, or what two children hash to, does not depend on who asks.
/// </summary>
internal sealed class ReceiptChecker(GenesisDocument genesis, Ledger.Reconfiguration.ViewHistory views)
{
    private const int RememberedHeaders = 16_384;

    // Two trees per block, an inner node per transaction in each: tens of thousands of transactions' worth.
    private const int RememberedNodes = 1 << 16;
    private static readonly ConcurrentDictionary<(string Chain, long View, BlockHeader Header), byte> Checked = new();
    private static readonly MerkleNodeMemo Nodes = new(RememberedNodes);

    // Counted here rather than with the dictionary's Count, which takes every one of its locks.
    private static int s_checkedCount;

    /// <summary>Inner Merkle nodes looked up rather than hashed, in this process (for tests).</summary>
    internal static long NodeHits => Nodes.Hits;

    /// <summary>Null if <paramref name="reply"/>'s receipt proves its result; otherwise why not.</summary>
    public string? Check(ReplyMessage reply) => Check(reply, ReadOnlySpan<byte>.Empty);

    /// <summary>
    /// Null if <paramref name="reply"/>'s receipt proves its result for <paramref name="request"/>, the encoding of the
    /// request whose digest the reply names (empty: the entry is hashed and compared with the reply's digest instead);
    /// otherwise why not. Comparing the entry with the request's bytes proves the same as hashing it, for a memcmp.
    /// </summary>
    public string? Check(ReplyMessage reply, ReadOnlySpan<byte> request)
    {
        TransactionReceipt receipt;
        try
        {
            receipt = TransactionReceipt.Decode(reply.Receipt.Span);
        }
        catch (EncodingException e)
        {
            return $"malformed receipt: {e.Message}";
        }

        if (receipt.BlockNumber != reply.Block || !receipt.Result.Span.SequenceEqual(reply.Result.Span))
        {
            return "the receipt proves another block or result than the reply reports";
        }

        // The entry is this client's own request, byte for byte (same digest): its signature needs no second check.
        if (request.IsEmpty ? Hash256.Compute(receipt.Entry.Span) != reply.Digest : !receipt.Entry.Span.SequenceEqual(request))
        {
            return "the receipt is about another request";
        }

        if (views.CertifyingView(receipt.Header, out string? unknown) is not { } view)
        {
            return $"the receipt is certified by a view this client does not know yet ({unknown})";
        }

        var key = (genesis.ChainId, view.Id, receipt.Header);
        bool certified = Checked.ContainsKey(key);
        if (receipt.Verify(view, genesis.ChainId, certified, entryKnown: true, Nodes) is { } problem)
        {
            return problem;
        }

        if (!certified)
        {
            if (Interlocked.Increment(ref s_checkedCount) > RememberedHeaders)
            {
                Checked.Clear();
                Interlocked.Exchange(ref s_checkedCount, 1);
            }

            Checked.TryAdd(key, 0);
        }

        return null;
    }
}
