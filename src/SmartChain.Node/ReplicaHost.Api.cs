using SmartChain.Core.Genesis;
using SmartChain.Ledger;

namespace SmartChain.Node;

/// <summary>
/// What the HTTP API adapter (<see cref="Api.ReplicaApi"/>) reads of a running replica: values other threads already
/// read without locks (the status line, the query answer), and the application's read-only query. Nothing here waits
/// for, or enqueues into, the consensus, execution or ledger loops.
/// </summary>
public sealed partial class ReplicaHost
{
    internal GenesisDocument Genesis => _genesis;

    internal string DataDirectory => _dataDir;

    /// <summary>Completes at the ledger loop's next commit (durable and certified heights have moved).</summary>
    internal Task CommitPulse => _ledgerPipeline.Status.Next;

    /// <summary>Where the client port listens (the API submits through it, as any client does).</summary>
    internal System.Net.IPEndPoint ClientEndPoint => _gateway.LocalEndPoint;

    /// <summary>A snapshot of the replica's progress; values are read off their owning threads, so may be a moment stale.</summary>
    internal Api.NodeStatus ApiStatus()
    {
        Execution.ExecutionStatus execution = _executor.Status;
        Core.Views.View view = execution.View;
        Ordering.ConsensusStatus consensus = _driver.Status;
        return new Api.NodeStatus(Id, _genesis.ChainId, view.Id, view.N, view.F, view.Q, consensus.Regency, consensus.Leader,
            CommittedHeight, CertifiedPrefix, execution.Executed, _network.ConnectedPeers, _network.Peers.Count,
            view.Contains(Id), _transferCoordinator.Running);
    }

    /// <summary>The application's read-only query, answered from its published state on the caller's thread.</summary>
    /// <exception cref="Core.Encoding.EncodingException">Not a query the application knows.</exception>
    internal byte[] QueryApplication(ReadOnlySpan<byte> query) => _app.Query(query);

    /// <summary>The view that certifies the block with <paramref name="header"/>, if this replica's history knows it.</summary>
    internal Core.Views.View? CertifyingView(BlockHeader header) => _history.CertifyingView(header, out _);

    /// <summary>The proofs of every view after the genesis view, oldest first (at most <see cref="Ledger.Reconfiguration.ViewChain.MaxProofs"/> per call).</summary>
    internal IReadOnlyList<TransactionReceipt> ApiViewProofs(long after) => ViewProofsAfter(after);
}
