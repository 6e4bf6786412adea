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
/// and prove this very result. Certificates already checked are remembered by header
/// hash, since every reply of a block carries the same one. The memory is shared by every client in the process
/// (a load generator runs many): whether Q members of a view signed a header does not depend on who asks.
/// </summary>
internal sealed class ReceiptChecker(GenesisDocument genesis, Ledger.Reconfiguration.ViewHistory views)
{
    private const int RememberedHeaders = 16_384;
    private static readonly ConcurrentDictionary<(string Chain, long View, Hash256 Header), byte> Checked = new();

    /// <summary>Null if <paramref name="reply"/>'s receipt proves its result; otherwise why not.</summary>
    public string? Check(ReplyMessage reply)
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
        if (Hash256.Compute(receipt.Entry.Span) != reply.Digest)
        {
            return "the receipt is about another request";
        }

        if (views.CertifyingView(receipt.Header, out string? unknown) is not { } view)
        {
            return $"the receipt is certified by a view this client does not know yet ({unknown})";
        }

        var key = (genesis.ChainId, view.Id, receipt.Header.Hash());
        if (receipt.Verify(view, genesis.ChainId, Checked.ContainsKey(key), entryKnown: true) is { } problem)
        {
            return problem;
        }

        if (Checked.Count >= RememberedHeaders)
        {
            Checked.Clear();
        }

        Checked.TryAdd(key, 0);
        return null;
    }
}
