using System.Diagnostics.Metrics;

namespace SmartChain.Node;

/// <summary>
/// The replica's metrics: one <see cref="Meter"/> named "SmartChain" per replica, tagged with its id, so an exporter
/// (Prometheus, via <c>node run --metrics-port</c>) or a test's MeterListener sees every replica in the process,
/// told apart by their <c>chain</c> and <c>replica</c> tags.
/// </summary>
internal sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "SmartChain";
    private readonly Meter _meter;

    public NodeMetrics(string chainId, int replicaId, Func<long> lastDecided, Func<int> pending, Func<int> queuedFrames, Func<int> connectedPeers,
        Func<int> regency, Func<long> viewId, Func<int> members)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Tags = [new("chain", chainId), new("replica", replicaId)] });
        DecidedInstances = _meter.CreateCounter<long>("smartchain.consensus.decided_instances", description: "Consensus instances decided");
        BatchSize = _meter.CreateHistogram<int>("smartchain.consensus.batch_size", unit: "{request}", description: "Requests per decided batch");
        Executed = _meter.CreateCounter<long>("smartchain.requests.executed", description: "Requests executed");
        Rejected = _meter.CreateCounter<long>("smartchain.requests.rejected", description: "Requests refused before ordering");
        VerificationTime = _meter.CreateHistogram<double>("smartchain.requests.verification_time", unit: "ms", description: "CheckTx time per request");
        FsyncTime = _meter.CreateHistogram<double>("smartchain.ledger.fsync_time", unit: "ms", description: "Time of one group commit (fsync)");
        BlocksPerFsync = _meter.CreateHistogram<long>("smartchain.ledger.blocks_per_fsync", unit: "{block}", description: "Blocks made durable by one group commit");
        RegencyChanges = _meter.CreateCounter<long>("smartchain.consensus.regency_changes",
            description: "Leader changes this replica asked for, by cause: timeout (no progress), evidence (the leader sent a message a correct replica never sends), joined (f+1 others asked), leader-removed (a reconfiguration removed the leader)");
        SnapshotPause = _meter.CreateHistogram<double>("smartchain.checkpoint.snapshot_pause", unit: "ms", description: "Time execution paused to take a checkpoint's snapshot");
        ViewBarrier = _meter.CreateHistogram<double>("smartchain.consensus.view_barrier", unit: "ms",
            description: "Time ordering waited, after a decision that may change the view, for this replica to execute it");
        TransferredBlocks = _meter.CreateCounter<long>("smartchain.transfer.blocks", description: "Blocks received by state transfer, verified and applied");
        Released = _meter.CreateCounter<long>("smartchain.requests.released", description: "Requests whose replies were released (their block durable, and certified in strong mode)");
        _meter.CreateObservableGauge("smartchain.consensus.last_decided", lastDecided, description: "Highest decided instance");
        _meter.CreateObservableGauge("smartchain.pool.pending", pending, unit: "{request}", description: "Verified requests waiting to be ordered");
        _meter.CreateObservableGauge("smartchain.network.queued_frames", queuedFrames, unit: "{frame}", description: "Frames waiting in send queues");
        _meter.CreateObservableGauge("smartchain.consensus.regency", regency, description: "Current regency (leader term); it grows with each leader change");
        _meter.CreateObservableGauge("smartchain.network.connected_peers", connectedPeers, unit: "{replica}", description: "Peers with an open outbound link");
        _meter.CreateObservableGauge("smartchain.view.id", viewId, description: "The view in force (it grows with each reconfiguration)");
        _meter.CreateObservableGauge("smartchain.view.members", members, unit: "{replica}", description: "Members of the view in force");
    }

    public Counter<long> DecidedInstances { get; }

    public Histogram<int> BatchSize { get; }

    public Counter<long> Executed { get; }

    public Counter<long> Rejected { get; }

    public Histogram<double> VerificationTime { get; }

    public Histogram<double> FsyncTime { get; }

    public Histogram<long> BlocksPerFsync { get; }

    public Counter<long> Released { get; }

    /// <summary>Execution pause per checkpoint snapshot.</summary>
    public Histogram<double> SnapshotPause { get; }

    /// <summary>Blocks applied from state transfer.</summary>
    public Counter<long> TransferredBlocks { get; }

    /// <summary>Time the core waited at a view-change barrier for this replica's execution.</summary>
    public Histogram<double> ViewBarrier { get; }

    public Counter<long> RegencyChanges { get; }

    public void Dispose() => _meter.Dispose();
}
