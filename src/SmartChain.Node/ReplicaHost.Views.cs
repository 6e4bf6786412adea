using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
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

    private readonly Views.ViewProofs _viewProofs;
    private readonly Dictionary<long, (BuiltBlock Block, View Installed)> _uncertifiedReconfigurations; // found at start, then the ledger pipeline's
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
}
