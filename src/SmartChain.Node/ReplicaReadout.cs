using SmartChain.Core.Application;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// What other threads read of a running replica — the status line, the HTTP API (<see cref="Api.ReplicaApi"/>), a client
/// query's progress fields and the metrics' gauges — combined from the immutable status each component publishes
/// (consensus, execution, ledger) and the network's counters. Nothing here waits for, or enqueues into, the consensus,
/// execution or ledger loops; values are read off their owning threads, so may be a moment stale.
/// </summary>
internal sealed class ReplicaReadout : IDisposable
{
    private readonly IReplicatedApplication _app;
    private readonly ViewHistory _history;
    private readonly Views.ViewProofs _viewProofs;
    private readonly IReplicaLinks _network;
    private readonly SampledLog _droppedPeerMessages;
    private Parts? _parts;

    // The components whose published status is read; set once, after the host built them and before their loops start.
    private sealed record Parts(Gateway.ClientGateway Gateway, Ordering.ConsensusDriver Driver, Execution.Executor Executor,
        Pipeline.LedgerPipeline Ledger, Transfer.TransferCoordinator Transfer);

    public ReplicaReadout(int id, GenesisDocument genesis, string dataDirectory, IReplicatedApplication app, ViewHistory history, Views.ViewProofs viewProofs,
        IReplicaLinks network, SampledLog droppedPeerMessages)
    {
        Id = id;
        Genesis = genesis;
        DataDirectory = dataDirectory;
        _app = app;
        _history = history;
        _viewProofs = viewProofs;
        _network = network;
        _droppedPeerMessages = droppedPeerMessages;
        Metrics = new NodeMetrics(genesis.ChainId, id, () => _parts?.Executor.Status.Executed ?? 0, () => _parts?.Driver.Status.PendingRequests ?? 0,
            () => _network.QueuedFrames, () => _network.ConnectedPeers, () => _parts?.Driver.Status.Regency ?? 0, () => _parts?.Executor.Status.View.Id ?? 0,
            () => _parts?.Executor.Status.View.N ?? 0);
    }

    /// <summary>This replica's id.</summary>
    public int Id { get; }

    /// <summary>The chain's genesis document.</summary>
    public GenesisDocument Genesis { get; }

    /// <summary>The replica's data folder (the API opens its own read-only handle of the block store there).</summary>
    public string DataDirectory { get; }

    /// <summary>The replica's instruments (one <see cref="NodeMetrics.MeterName"/> meter, tagged with chain and replica).</summary>
    public NodeMetrics Metrics { get; }

    private Parts Components => _parts ?? throw new InvalidOperationException("the replica's components are not built yet");

    /// <summary>Completes at the ledger loop's next commit (durable and certified heights have moved).</summary>
    public Task CommitPulse => Components.Ledger.Status.Next;

    /// <summary>Where the client port listens (the API submits through it, as any client does).</summary>
    public System.Net.IPEndPoint ClientEndPoint => Components.Gateway.LocalEndPoint;

    /// <summary>One line: consensus state, execution progress, links.</summary>
    public string Line
    {
        get
        {
            Parts parts = Components;
            Pipeline.LedgerStatus ledger = parts.Ledger.Status;
            return $"{parts.Driver.Status.Line} executed {parts.Executor.Status.Executed} block {ledger.CommittedHeight} certified {ledger.LastCertified} peers {_network.ConnectedPeers}/{_network.Peers.Count} " +
                $"queued {_network.QueuedFrames} dropped {_network.DroppedFrames + _droppedPeerMessages.Count} " +
                $"ledger-fsyncs {ledger.Fsyncs} blocks-committed {ledger.BlocksCommitted} vote-fsyncs {parts.Driver.VoteFsyncs}" +
                (parts.Transfer.Running ? " state-transfer running" : "");
        }
    }

    /// <summary>Names the components to read; once, before their loops start.</summary>
    public void Attach(Gateway.ClientGateway gateway, Ordering.ConsensusDriver driver, Execution.Executor executor, Pipeline.LedgerPipeline ledger,
        Transfer.TransferCoordinator transfer) => _parts = new Parts(gateway, driver, executor, ledger, transfer);

    /// <summary>A snapshot of the replica's progress for the API.</summary>
    public Api.NodeStatus ApiStatus()
    {
        Parts parts = Components;
        Execution.ExecutionStatus execution = parts.Executor.Status;
        Core.Views.View view = execution.View;
        Ordering.ConsensusStatus consensus = parts.Driver.Status;
        Pipeline.LedgerStatus ledger = parts.Ledger.Status;
        return new Api.NodeStatus(Id, Genesis.ChainId, view.Id, view.N, view.F, view.Q, consensus.Regency, consensus.Leader,
            ledger.CommittedHeight, ledger.CertifiedPrefix, execution.Executed, _network.ConnectedPeers, _network.Peers.Count,
            view.Contains(Id), parts.Transfer.Running);
    }

    /// <summary>A query's answer with the replica's progress, from the snapshots the consensus and execution loops publish.</summary>
    public QueryResultMessage Describe(QueryMessage query, byte[] body)
    {
        Execution.ExecutionStatus execution = Components.Executor.Status;
        Ordering.ConsensusStatus consensus = Components.Driver.Status;
        return new(query.QueryId, execution.Executed, _network.ConnectedPeers, body)
        {
            BlockHeight = execution.Head.Number,
            Leader = consensus.Leader,
            Regency = consensus.Regency,
            ViewId = execution.View.Id,
            Runtime = RuntimeCounters.Sample(),
        };
    }

    /// <summary>The application's read-only query, answered from its published state on the caller's thread.</summary>
    /// <exception cref="Core.Encoding.EncodingException">Not a query the application knows.</exception>
    public byte[] Query(ReadOnlySpan<byte> query) => _app.Query(query);

    /// <summary>The view that certifies the block with <paramref name="header"/>, if this replica's history knows it.</summary>
    public Core.Views.View? CertifyingView(BlockHeader header) => _history.CertifyingView(header, out _);

    /// <summary>The proofs of every view after <paramref name="knownView"/>, oldest first (at most <see cref="ViewChain.MaxProofs"/> per call).</summary>
    public IReadOnlyList<TransactionReceipt> ViewProofsAfter(long knownView) => _viewProofs.After(knownView);

    /// <inheritdoc />
    public void Dispose() => Metrics.Dispose();
}
