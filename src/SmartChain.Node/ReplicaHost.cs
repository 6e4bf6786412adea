using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Application;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;
using SmartChain.Ledger.Store;
using SmartChain.Network;
using SmartChain.Node.Startup;

namespace SmartChain.Node;

/// <summary>
/// One replica process, as a composition root, running whatever application the composition passes (an
/// <see cref="ApplicationFactory"/>; <c>node run</c> passes SMaRtCoin): on start <see cref="ReplicaStartup"/> rebuilds the
/// replica's state from its own ledger and the votes it cast; the host then creates the channels and one component per
/// thread — <see cref="Gateway.ClientGateway"/> (client sessions), <see cref="Peers.PeerRouter"/> (peer pump),
/// <see cref="Ordering.ConsensusDriver"/> (consensus thread), <see cref="Execution.Executor"/> (execution loop),
/// <see cref="Pipeline.LedgerPipeline"/> (ledger loop), <see cref="Transfer.TransferCoordinator"/> (state transfer) —
/// starts their loops and stops them. Votes are fsynced before the messages that carry them leave; a reply leaves only
/// once its block is durable (and certified, in strong mode). docs/architecture.md has the table of what each component
/// owns and the messages between them.
/// </summary>
public sealed partial class ReplicaHost : IAsyncDisposable
{
    private readonly ILogger _log;
    private readonly BlockStore _store;
    private readonly Views.ViewSigner _signer;
    private readonly IReplicaLinks _network;
    private readonly Channel<NodeInput> _inputs = Channel.CreateBounded<NodeInput>(new BoundedChannelOptions(65_536) { SingleReader = true });
    private readonly Channel<ExecutionItem> _execution = Channel.CreateBounded<ExecutionItem>(new BoundedChannelOptions(4_096) { SingleReader = true });
    private readonly Channel<LedgerInput> _ledger = Channel.CreateBounded<LedgerInput>(new BoundedChannelOptions(1_024) { SingleReader = true });
    private readonly Gateway.ClientGateway _gateway;
    private readonly Peers.PeerRouter _router;
    private readonly Ordering.ConsensusDriver _driver;
    private readonly Execution.Executor _executor;
    private readonly Pipeline.LedgerPipeline _ledgerPipeline;
    private readonly Pipeline.ReconfigurationCertifier _reconfigurations;
    private readonly Transfer.TransferCoordinator _transferCoordinator;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private int _disposed;

    private ReplicaHost(NodeConfig config, GenesisDocument genesis, Ed25519KeyPair key, ApplicationFactory application, ILoggerFactory loggers, ReplicaOptions options)
    {
        Id = config.ReplicaId;
        _log = loggers.CreateLogger($"replica{config.ReplicaId}");
        RecoveredReplica start = ReplicaStartup.Recover(config, genesis, key, application, options, _log,
            r => _gateway!.Verify(r).Accepted, options.Platform.Storage); // the gateway exists before the consensus thread verifies anything
        (_store, _signer) = (start.Store, start.Signer);
        LedgerRecovery.Result ledgerStart = start.Ledger;
        var (dropped, credentials) = (new SampledLog(_log), new LinkCredentials(config.ReplicaId, key));
        var transferredCertificates = new ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)>();
        var clientInputs = new ClientInputQueue(options.Clients.MaxQueuedRequests, options.Clients.MaxQueuedRequestBytes);
        IReplicaTransport links = options.Platform.Links ?? TcpTransport.Instance;
        _network = links.ConnectReplicas(start.NetworkView, genesis.ChainId, credentials, ReplicaStartup.ParseEndpoint(config.Listen), LinkOptions.Default,
            new SampledLog(_log).Write, options.OutboundFilter);
        var consensusInputs = new Ordering.ConsensusInputs(_inputs.Reader, _inputs.Writer, clientInputs, options.Clients.RequestsPerTurn, _network, dropped.Write);
        var transferServer = new Transfer.TransferServer(genesis, options.Transfer, options.TransferFault, _network, start.Snapshots, start.ViewProofs.After, _log, options.Platform, _stop.Token);
        Readout = new ReplicaReadout(Id, genesis, config.DataDir, start.App, start.History, start.ViewProofs, _network, dropped);
        NodeMetrics metrics = Readout.Metrics;
        _gateway = new Gateway.ClientGateway(links, ReplicaStartup.ParseEndpoint(config.ClientListen), genesis, credentials, options.Clients, start.Machine, Readout.Query,
            metrics, _log, clientInputs, consensusInputs.RingDoorbell, _execution.Writer, Readout.Describe, options.Platform.Time);
        _reconfigurations = new Pipeline.ReconfigurationCertifier(Id, start.UncertifiedReconfigurations, start.History, start.ViewProofs, _signer, _network, _log);
        _ledgerPipeline = new Pipeline.LedgerPipeline(Id, genesis, _ledger.Reader, _store, start.Collector, _signer, _network, transferServer, metrics, _log,
            start.Replies, transferredCertificates, start.MySignatures, _reconfigurations,
            [.. ledgerStart.Unreleased.Select(u => new LedgerInput.Persist(BuiltBlock.From(u.Block), u.Replies, []))], ledgerStart.LastCertified, ledgerStart.LastConsensusId);
        _driver = new Ordering.ConsensusDriver(Id, start.ConsensusCore, start.Votes, consensusInputs, _network, _signer, _execution.Writer, _ledger.Writer,
            DurableConsensusId(options.Ledger), _gateway.Replies, () => _transferCoordinator!.TryRequest(), metrics, _log, options.Platform.ConsensusContext);
        _executor = new Execution.Executor(genesis, options, config.DataDir, _execution.Reader, _ledger.Writer, _inputs.Writer, start.Machine, ledgerStart.Head,
            ledgerStart.LastConsensusId, start.ExecutedClients, new Execution.Checkpointer(start.Snapshots, options.SnapshotRetention, _log, Task.FromResult(ledgerStart.PendingSnapshot), options.Platform.Background),
            start.Replies, start.History, _signer, _network, _gateway, start.ViewProofs.EncodeAnswer, () => _driver.Status.View, transferredCertificates, metrics, _log);
        _transferCoordinator = new Transfer.TransferCoordinator(Id, genesis, options.Transfer, start.NetworkView, _network, start.Snapshots, start.History, _inputs.Writer,
            _execution.Writer, _ledger.Writer, _ledgerPipeline, () => _executor.Status, () => _driver.Status.View, transferredCertificates, _log, options.Platform, _stop.Token);
        _router = new Peers.PeerRouter(_network, MessageLimits.From(genesis.Consensus), consensusInputs, _ledger.Writer, transferServer,
            _transferCoordinator.Deliver, dropped.Write);
        Readout.Attach(_gateway, _driver, _executor, _ledgerPipeline, _transferCoordinator);
    }

    // The vote log keeps the votes of instances whose block is not durable yet. The baselines build no blocks and cannot
    // restart, so their votes are spent once executed; tied to a durable instance that never moves, their log only grew.
    private Func<long> DurableConsensusId(LedgerMode ledger) =>
        ledger == LedgerMode.Blockchain ? () => _ledgerPipeline.Status.DurableConsensusId : () => _executor.Status.Executed;

    /// <summary>File the naive baselines append to, inside the data folder.</summary>
    public const string NaiveLedgerFileName = "naive-ledger.log";

    /// <summary>Name of the file in the data folder where <c>node join</c> leaves the view that admitted this replica.</summary>
    public const string BootstrapViewFileName = "bootstrap-view.bin";

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> every replica publishes to.</summary>
    public const string MeterName = NodeMetrics.MeterName;

    /// <summary>This replica's id.</summary>
    public int Id { get; }

    /// <summary>
    /// Completes when the replica stops; faults if it stopped on its own because a loop failed (a failed fsync, an
    /// invariant violation), so the process can exit with an error instead of lingering.
    /// </summary>
    public Task Completion => Task.WhenAll(_loops);

    /// <summary>What other threads and the HTTP API read of this replica (status, queries, view proofs, metrics).</summary>
    internal ReplicaReadout Readout { get; }

    /// <summary>
    /// Starts a replica from its home configuration, running the application <paramref name="application"/> makes
    /// (the composition's choice: SMaRtCoin for <c>node run</c>); it runs until disposed.
    /// </summary>
    /// <exception cref="LedgerCorruptException">The ledger in the data folder does not check out; the message says where and why.</exception>
    public static ReplicaHost Start(NodeConfig config, GenesisDocument genesis, Ed25519KeyPair key, ApplicationFactory application, ILoggerFactory loggers,
        ReplicaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(application);
        ReplicaStartup.CheckIdentity(config, genesis, key);
        options ??= ReplicaOptions.Default;
        var host = new ReplicaHost(config, genesis, key, application, loggers, options);
        host.StartLoops(genesis.Consensus.TickMs, options.Ledger, options.Platform.Time);
        return host;
    }

    private void StartLoops(int tickMs, LedgerMode ledger, TimeProvider time)
    {
        CancellationToken stop = _stop.Token;
        // Every loop is supervised (ReplicaLoops.SuperviseAsync): one that fails is a bug or a failed disk, and the replica
        // stops with a critical line naming the loop and why, so that `node run` exits non-zero and its supervisor restarts
        // it from its ledger. Failures a loop expects per item (a client session's bad bytes or dead socket, a status line,
        // a state-transfer attempt, a peer link) are handled inside the loop, which goes on.
        _loops.Add(ReplicaLoops.SuperviseAsync(_driver.Start(tickMs, time, stop), e => NodeLog.ConsensusFailed(_log, e, Id, Status), _stop));
        // Unsupervised, a failed executor ended alone: consensus went on ordering (until the execution channel filled)
        // while nothing was executed, persisted or answered, and nothing said why.
        _loops.Add(Supervise(_executor.RunAsync(stop), "execution loop"));
        _loops.Add(ReplicaLoops.SuperviseAsync(_ledgerPipeline.RunAsync(stop), e => NodeLog.LedgerFailed(_log, e, Id, Status), _stop));
        // The peer pump decodes every frame peers send; decoders throw only EncodingException (fuzzed), which the pump
        // drops, so anything else is a bug here. Unsupervised, such a fault ended the pump alone: the replica ran on
        // deaf to every peer, and Completion never completed. Stopping is what the other loops do on a bug.
        _loops.Add(ReplicaLoops.SuperviseAsync(_router.RunAsync(stop), e => NodeLog.PeerPumpFailed(_log, e, Id, Status), _stop));
        // Without the beat, signatures and certificates a peer lost are never sent again: blocks stay uncertified quietly.
        _loops.Add(Supervise(ReplicaLoops.RetransmitBeatAsync(_ledger.Writer, time, stop), "retransmission beat"));
        // The accept loop survives each client's failures (a session's errors are the session's); a fault of the loop
        // itself leaves the replica taking no client at all, which it must not do quietly.
        _loops.Add(Supervise(_gateway.AcceptLoopAsync(stop), "client accept loop"));
        _loops.Add(Supervise(ReplicaLoops.StatusAsync(() => Readout.Line, _log, time, stop), "status timer"));
        // The sweep edits the reply registry the consensus driver and the executor share: a throw there is a bug in
        // shared state, and without the sweep forgotten requests keep their reply budget.
        _loops.Add(Supervise(_gateway.SweepLoopAsync(stop), "client reply sweep"));
        if (ledger == LedgerMode.Blockchain)
        {
            // Each transfer attempt's failures are retried inside; what escapes is the coordinator's own bug, which may
            // leave decisions held (HoldDecisions sent, no ReleaseDecisions): the replica would stall with nothing said.
            _loops.Add(Supervise(_transferCoordinator.RunAsync(), "state-transfer loop"));
        }

        NodeLog.Started(_log, Id, Status);
    }

    private Task Supervise(Task loop, string name) => ReplicaLoops.SuperviseAsync(loop, e =>
    {
        string reason = $"{e.GetType().Name}: {e.Message}";
        NodeLog.LoopFailed(_log, e, name, reason, Id, Status);
    }, _stop);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Cancel, not CancelAsync: the callbacks (waiting channel reads) run here, not on the thread pool, so under the
        // whole-replica simulator a stop stays on its one thread; each only wakes a loop.
        _stop.Cancel();
        _inputs.Writer.TryComplete();
        _execution.Writer.TryComplete();
        _ledger.Writer.TryComplete();
        await _gateway.DisposeAsync();
        await _network.DisposeAsync();
        await ReplicaLoops.JoinAsync(_loops);
        _driver.Dispose(); // its thread and the vote log
        try
        {
            await _executor.PendingSnapshot; // a snapshot being written finishes, so its file is whole
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
        }

        try
        {
            _ledgerPipeline.FlushOnStop();
        }
        catch (IOException e)
        {
            NodeLog.Storage(_log, $"could not write the last certificates on stop ({e.Message}); they are collected again on restart");
        }

        _store.Dispose();
        _signer.Dispose();
        _executor.Dispose();
        Readout.Dispose();
        _stop.Dispose();
        NodeLog.Stopped(_log, Id, Status);
    }
}
