using SmartChain.Node.Transfer;

namespace SmartChain.Node;

/// <summary>
/// The host's side of state transfer: the coordinator (<see cref="TransferCoordinator"/>) runs this replica's transfers,
/// the server (<see cref="TransferServer"/>) answers peers'. What tests ask of them.
/// </summary>
public sealed partial class ReplicaHost
{
    /// <summary>What the last state transfer did (null before one finished).</summary>
    internal TransferResult? LastTransfer => _transferCoordinator.LastTransfer;

    /// <summary>Completes when the transfer a replica runs at start has finished (with nothing to do, often).</summary>
    internal Task<TransferResult> FirstTransfer => _transferCoordinator.FirstTransfer;

    // The consensus driver starts a transfer through this when more than f peers are far ahead.
    private bool TryRequestTransfer() => _transferCoordinator.TryRequest();
}
