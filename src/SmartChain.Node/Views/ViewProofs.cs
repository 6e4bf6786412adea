using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;

namespace SmartChain.Node.Views;

/// <summary>
/// The proof of every view after the genesis view: the receipt of the entry that installed it, by view id. Written by
/// the ledger loop when a reconfiguration block's certificate is durable (and at start), read by platform queries on the
/// execution loop, by the transfer server's tips and by the API; so it is the one view structure behind a lock.
/// </summary>
internal sealed class ViewProofs
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, byte[]> _proofs = []; // view id → receipt of the entry that installed it

    /// <summary>Records the proof of view <paramref name="viewId"/>.</summary>
    public void Add(long viewId, byte[] receipt)
    {
        lock (_gate)
        {
            _proofs[viewId] = receipt;
        }
    }

    /// <summary>The proofs after <paramref name="knownView"/>, encoded as a view-query answer for a client or joiner.</summary>
    public byte[] EncodeAnswer(long knownView)
    {
        lock (_gate)
        {
            return ViewQuery.EncodeAnswer([.. _proofs.Where(p => p.Key > knownView).Take(ViewChain.MaxProofs).Select(p => p.Value)]);
        }
    }

    /// <summary>The proofs after <paramref name="knownView"/> (for state-transfer tips and the API).</summary>
    public IReadOnlyList<TransactionReceipt> After(long knownView)
    {
        lock (_gate)
        {
            return [.. _proofs.Where(p => p.Key > knownView).Take(ViewChain.MaxProofs).Select(p => TransactionReceipt.Decode(p.Value))];
        }
    }
}
