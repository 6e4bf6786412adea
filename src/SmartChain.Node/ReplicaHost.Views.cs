using SmartChain.Core.Configuration;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Ledger.Store;
using SmartChain.Reconfiguration;

namespace SmartChain.Node;

/// <summary>
/// Views in the replica (SPEC §5). Execution installs a view when it runs a reconfiguration; the new members are dialled
/// at once, and the core resumes in the new view. Once the reconfiguration block is certified (by the old view) and
/// durable, the replica keeps its receipt as the new view's proof for clients and peers, erases its keys of the views it
/// has left, closes the links of replicas that left, and if it is no longer a member, stops taking part.
/// </summary>
public sealed partial class ReplicaHost
{
    /// <summary>Name of the file in the data folder where <c>node join</c> leaves the view that admitted this replica.</summary>
    public const string BootstrapViewFileName = "bootstrap-view.bin";

    private readonly Lock _viewGate = new();
    private readonly SortedDictionary<long, byte[]> _viewProofs = []; // view id → receipt of the entry that installed it
    private readonly Dictionary<long, (BuiltBlock Block, View Installed)> _uncertifiedReconfigurations = [];
    private readonly TaskCompletionSource _removed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ViewHistory _history;
    private readonly Views.ViewSigner _signer;
    private readonly ReplicatedStateMachine _machine;

    /// <summary>Completes once this replica was removed from the view (it left or was excluded) and erased its keys.</summary>
    public Task Removed => _removed.Task;

    /// <summary>The view in force after the last block executed here.</summary>
    public View CurrentView => _executor.Status.View;

    // Ledger thread: a reconfiguration block's certificate is durable here.
    private void ReconfigurationCertified(long number, BuiltBlock block, View installed, BlockCertificate certificate)
    {
        View? left = _history.CertifyingView(block.Block.Header, out _);
        if (ReconfigurationBlock.ReadInstalledView(block.Block, left ?? installed, out _, out int entry) is null)
        {
            lock (_viewGate)
            {
                _viewProofs[installed.Id] = block.Receipt(entry, certificate).Encode();
            }
        }

        if (installed.Contains(Id))
        {
            _signer.EraseBefore(installed);
            _network.SetPeers(installed.Members);
            string erased = $"reconfiguration block {number} is certified; {installed} is in force, and this replica's keys of earlier views are erased";
            NodeLog.ViewChange(_log, erased);
            return;
        }

        if (left?.Contains(Id) == true)
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

        _signer.EraseAll();
        string removed = $"replica {Id} is not a member of {installed} (installed by block {number}): it stops taking part, and every one of its view keys is erased";
        NodeLog.ViewChange(_log, removed);
        _removed.TrySetResult();
    }

    // Execution thread: the view proofs after `knownView`, for a client or joiner refreshing its view (a platform query).
    private byte[] AnswerViewQuery(long knownView)
    {
        lock (_viewGate)
        {
            return ViewQuery.EncodeAnswer([.. _viewProofs.Where(p => p.Key > knownView).Take(ViewChain.MaxProofs).Select(p => p.Value)]);
        }
    }

    /// <summary>The proofs of the views after <paramref name="knownView"/> (for state-transfer tips).</summary>
    internal IReadOnlyList<TransactionReceipt> ViewProofsAfter(long knownView)
    {
        lock (_viewGate)
        {
            return [.. _viewProofs.Where(p => p.Key > knownView).Take(ViewChain.MaxProofs).Select(p => TransactionReceipt.Decode(p.Value))];
        }
    }

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
                _viewProofs[next!.Id] = BuiltBlock.From(block).Receipt(entry, certificate).Encode();
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
