using Microsoft.Extensions.Logging;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Network;
using SmartChain.Node.Views;

namespace SmartChain.Node.Pipeline;

/// <summary>
/// Reconfiguration blocks in the ledger pipeline (SPEC §5), on the ledger loop. Once a reconfiguration block is
/// certified (by the old view) and durable, the replica keeps its receipt as the new view's proof for clients and peers,
/// erases its keys of the views it has left, and, if it is no longer a member, stops taking part (<see cref="Removed"/>).
/// A replica that leaves retires as soon as it signed its last block; one that missed that block retires once it gets
/// it certified (by FETCH or state transfer from the members, who keep its links until the next view change).
/// </summary>
internal sealed class ReconfigurationCertifier(int id, Dictionary<long, (BuiltBlock Block, View Installed)> uncertified, ViewHistory history,
    ViewProofs proofs, ViewSigner signer, IReplicaLinks network, ILogger log)
{
    private readonly TaskCompletionSource _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this replica was removed from the view (it left or was excluded) and erased its keys.</summary>
    public Task Removed => _removed.Task;

    /// <summary>Block <paramref name="number"/>, just appended, installs <paramref name="installed"/> from the next block on.</summary>
    public void Appended(long number, BuiltBlock built, View installed) => uncertified[number] = (built, installed);

    /// <summary>
    /// This replica signed block <paramref name="number"/>: if it is the last block of its membership, its part is done
    /// and its keys go now. It does not wait for the certificate, which the remaining members (Q of the old view without
    /// it) complete, and which it might never receive: they close its links once they hold it.
    /// </summary>
    public void Signed(long number)
    {
        if (uncertified.TryGetValue(number, out var reconfiguration) && !reconfiguration.Installed.Contains(id))
        {
            Retire(number, reconfiguration.Installed);
        }
    }

    /// <summary>The certificate of block <paramref name="number"/> is durable here.</summary>
    public void CertificateDurable(long number, BlockCertificate certificate)
    {
        if (!uncertified.Remove(number, out var reconfiguration))
        {
            return;
        }

        (BuiltBlock block, View installed) = reconfiguration;
        View? left = history.CertifyingView(block.Block.Header, out _);
        if (ReconfigurationBlock.ReadInstalledView(block.Block, left ?? installed, out _, out int entry) is null)
        {
            proofs.Add(installed.Id, block.Receipt(entry, certificate).Encode());
        }

        if (installed.Contains(id))
        {
            signer.EraseBefore(installed);

            // A replica this block removed keeps its links until the next view change: if it missed the decision that
            // removed it, it learns it only from us (its FETCH, its state transfer), and then retires as if it had
            // decided it. It is not a member, so it orders nothing here; its votes are refused.
            network.SetPeers(left is null ? installed.Members : [.. installed.Members, .. left.Members.Where(m => !installed.Contains(m.Id))]);
            string erased = $"reconfiguration block {number} is certified; {installed} is in force, and this replica's keys of earlier views are erased";
            NodeLog.ViewChange(log, erased);
            return;
        }

        if (left?.Contains(id) == true)
        {
            Retire(number, installed);
        }
    }

    // This replica is not a member of `installed` (block `number`): it erases every view key and stops taking part.
    private void Retire(long number, View installed)
    {
        if (_removed.Task.IsCompleted)
        {
            return;
        }

        signer.EraseAll();
        string removed = $"replica {id} is not a member of {installed} (installed by block {number}): it stops taking part, and every one of its view keys is erased";
        NodeLog.ViewChange(log, removed);
        _removed.TrySetResult();
    }
}
