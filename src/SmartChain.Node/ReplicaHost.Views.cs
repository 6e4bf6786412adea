using SmartChain.Core.Configuration;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Ledger.Store;
using SmartChain.Reconfiguration;

namespace SmartChain.Node;

/// <summary>
/// Views in the replica at start (SPEC §5): the views this replica's ledger installed, their proofs, and which view keys
/// it keeps. At run time execution installs views (<see cref="Execution.Executor"/>) and the ledger pipeline acts on
/// certified reconfiguration blocks (<see cref="Pipeline.ReconfigurationCertifier"/>).
/// </summary>
public sealed partial class ReplicaHost
{
    /// <summary>Name of the file in the data folder where <c>node join</c> leaves the view that admitted this replica.</summary>
    public const string BootstrapViewFileName = "bootstrap-view.bin";

    private readonly Views.ViewProofs _viewProofs = new();
    private readonly Dictionary<long, (BuiltBlock Block, View Installed)> _uncertifiedReconfigurations = []; // found at start, then the ledger pipeline's
    private readonly Pipeline.ReconfigurationCertifier _reconfigurations;
    private readonly ViewHistory _history;
    private readonly Views.ViewSigner _signer;
    private readonly ReplicatedStateMachine _machine;

    /// <summary>Completes once this replica was removed from the view (it left or was excluded) and erased its keys.</summary>
    public Task Removed => _reconfigurations.Removed;

    /// <summary>The view in force after the last block executed here.</summary>
    public View CurrentView => _executor.Status.View;

    // The proofs of the views after `knownView` (for state-transfer tips and the API).
    internal IReadOnlyList<TransactionReceipt> ViewProofsAfter(long knownView) => _viewProofs.After(knownView);

    // At start: every view this replica's ledger installed, found by walking the lastReconfig pointers back from the head,
    // with the proofs of those certified. The newest one, if uncertified, is kept until its certificate comes.
    private ViewHistory LoadViews(BlockStore store, GenesisDocument genesisDocument)
    {
        var history = new ViewHistory(genesisDocument.InitialView);
        var found = new List<Block>();
        for (long r = store.Read(store.Height).Header.LastReconfig; r > 0; r = store.Read(r - 1).Header.LastReconfig)
        {
            found.Add(store.Read(r));
        }

        found.Reverse();
        View current = genesisDocument.InitialView;
        foreach (Block block in found)
        {
            if (ReconfigurationBlock.ReadInstalledView(block, current, out View? next, out int entry) is { } bad)
            {
                throw new LedgerCorruptException(Path.Combine(_dataDir, BlockStore.FolderName), block.Header.Number, bad);
            }

            history.Add(block.Header.Number, next!);
            if (block.Certificate is { } certificate)
            {
                _viewProofs.Add(next!.Id, BuiltBlock.From(block).Receipt(entry, certificate).Encode());
            }
            else
            {
                _uncertifiedReconfigurations[block.Header.Number] = (BuiltBlock.From(block), next!);
            }

            current = next!;
        }

        return history;
    }

    // At start: a member keeps the keys of the view in force (and of the one before, while the block that ended it still
    // waits for its certificate); a replica removed from the view erases them all and does not start.
    private View NetworkViewAtStart(NodeConfig config)
    {
        View view = _machine.View;
        (long block, View latest) = _history.Latest;
        if (view.Contains(Id))
        {
            if (_uncertifiedReconfigurations.ContainsKey(block) && _history.CertifyingView(_store.Read(block).Header, out _) is { } before && before.Contains(Id))
            {
                _signer.EraseBefore(before);
            }
            else
            {
                _signer.EraseBefore(latest);
            }

            return view;
        }

        if (_machine.Reconfiguration.FormerMembers.Contains(Id))
        {
            _signer.EraseAll();
            throw new InvalidOperationException($"replica {Id} was removed from the network (it is not a member of {view}: {view.MemberList}); its view keys are erased. To take part again, join with a new id: smartchain node join");
        }

        string path = Path.Combine(config.DataDir, BootstrapViewFileName);
        View? bootstrap = File.Exists(path) ? View.Decode(File.ReadAllBytes(path)) : null;
        if (bootstrap is null || !bootstrap.Contains(Id) || bootstrap.Id <= view.Id)
        {
            throw new InvalidOperationException($"replica {Id} is not a member of {view} (members {view.MemberList}), and {path} names no later view that admitted it; " +
                "a new replica joins with: smartchain node join");
        }

        string admitted = $"replica {Id} was admitted in {bootstrap} (members {bootstrap.MemberList}); it catches up from view {view.Id} by state transfer before it orders";
        NodeLog.ViewChange(_log, admitted);
        return bootstrap;
    }
}
