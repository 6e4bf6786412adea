using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Ledger.Reconfiguration;

/// <summary>
/// A reconfiguration block (SPEC §5) is the decision block whose execution installed a new view: its header's
/// <c>lastReconfig</c> is its own number, one of its entries is the system request (with its join certificate, or the
/// leave or exclusion vote) and that entry's result holds the new view — members, addresses, key-chain commitments and
/// each member's key of the new view with its Merkle path. It is certified by the old view; from the next block on,
/// certificates are checked against the new one. Because results are covered by the certified hashResults, anyone holding
/// the old view can take the new one from the block without re-executing anything.
/// </summary>
public static class ReconfigurationBlock
{
    /// <summary>True if <paramref name="header"/> is a reconfiguration block's.</summary>
    public static bool Installs(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return header.Number > 0 && header.LastReconfig == header.Number;
    }

    /// <summary>
    /// The view reconfiguration block <paramref name="block"/> installs after <paramref name="current"/>: null and the view,
    /// or the reason the block does not install exactly one view numbered <c>current.Id + 1</c>.
    /// </summary>
    public static string? ReadInstalledView(Block block, View current, out View? next, out int entry)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(current);
        next = null;
        entry = -1;
        for (int j = 0; j < block.Body.Entries.Count && j < block.Body.Results.Count; j++)
        {
            if (!SignedRequest.TryDecode(block.Body.Entries[j], out SignedRequest? request, out _) || !SystemOperation.MayChangeView(request!.Operation.Span) ||
                SystemResult.TryDecode(block.Body.Results[j].Span, out _) is not { Code: SystemResultCode.ViewInstalled } result)
            {
                continue;
            }

            if (next is not null)
            {
                return $"block {block.Header.Number} installs two views (entries {entry} and {j})";
            }

            next = result.View;
            entry = j;
        }

        if (next is null)
        {
            return $"block {block.Header.Number} names itself in lastReconfig, but no entry's result installs a view";
        }

        return next.Id != current.Id + 1 ? $"block {block.Header.Number} installs view {next.Id}; after {current} comes view {current.Id + 1}" : null;
    }
}
