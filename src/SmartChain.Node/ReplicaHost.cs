using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Application;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;
using SmartChain.Ledger.Certification;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Network;

namespace SmartChain.Node;

/// <summary>
/// One replica process, as a composition root, running whatever application the composition passes (an
/// <see cref="ApplicationFactory"/>; <c>node run</c> passes SMaRtCoin): on start it rebuilds the replica's state from
/// its own ledger and the votes it cast, then creates the channels and one component per thread —
/// <see cref="Gateway.ClientGateway"/> (client
/// sessions), <see cref="Peers.PeerRouter"/> (peer pump), <see cref="Ordering.ConsensusDriver"/> (consensus thread),
/// <see cref="Execution.Executor"/> (execution loop), <see cref="Pipeline.LedgerPipeline"/> (ledger loop),
/// <see cref="Transfer.TransferCoordinator"/> (state transfer) — starts their loops and stops them. Votes are fsynced
/// before the messages that carry them leave; a reply leaves only once its block is durable (and certified, in strong
/// mode). docs/architecture.md has the table of what each component owns and the messages between them.
/// </summary>
public sealed partial class ReplicaHost : IAsyncDisposable
{
    private readonly GenesisDocument _genesis;
    private readonly Core.Views.View _networkView;
    private readonly ILogger _log;
    private readonly IReplicatedApplication _app;
    private readonly ReplicaNetwork _network;
    private readonly Gateway.ClientGateway _gateway;
    private readonly BlockStore _store;
    private readonly ReplicaOptions _options;
    private readonly string _dataDir;
    private readonly Peers.PeerRouter _router;
    private readonly Channel<NodeInput> _inputs = Channel.CreateBounded<NodeInput>(new BoundedChannelOptions(65_536) { SingleReader = true });
    private readonly ClientInputQueue _clientInputs;
    private readonly Channel<ExecutionItem> _execution = Channel.CreateBounded<ExecutionItem>(new BoundedChannelOptions(4_096) { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private readonly List<Task> _loops = [];
    private readonly NodeMetrics _metrics;
    private readonly Ordering.ConsensusInputs _consensusInputs;
    private readonly Ordering.ConsensusDriver _driver;
    private readonly Execution.Executor _executor;
    private readonly Transfer.TransferCoordinator _transferCoordinator;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (Hash256 Hash, BlockCertificate Certificate)> _transferredCertificates = new();
    private readonly SnapshotStore _snapshots;
    private readonly Transfer.TransferServer _transferServer;
    private long _droppedPeerMessages;
    private long _networkEvents;

    private ReplicaHost(NodeConfig config, GenesisDocument genesis, Ed25519KeyPair key, ApplicationFactory application, ILoggerFactory loggers, ReplicaOptions options)
    {
        _genesis = genesis;
        _options = options;
        _clientInputs = new ClientInputQueue(options.Clients.MaxQueuedRequests, options.Clients.MaxQueuedRequestBytes);
        _dataDir = config.DataDir;
        Id = config.ReplicaId;
        _log = loggers.CreateLogger($"replica{config.ReplicaId}");
        Startup.RecoveredReplica start = Startup.ReplicaStartup.Recover(config, genesis, key, application, options, _log,
            r => _gateway!.Verify(r).Accepted); // the gateway exists before the consensus thread verifies anything
        _app = start.App;
        _store = start.Store;
        _snapshots = start.Snapshots;
        _replyCache = start.Replies;
        _history = start.History;
        _viewProofs = start.ViewProofs;
        _uncertifiedReconfigurations = start.UncertifiedReconfigurations;
        _signer = start.Signer;
        _machine = start.Machine;
        _networkView = start.NetworkView;
        CertificateCollector collector = start.Collector;
        Dictionary<long, (Hash256 Hash, byte[] Signature)> mySignatures = start.MySignatures;
        Startup.LedgerRecovery.Result ledgerStart = start.Ledger;
        ReplicaCore core = start.ConsensusCore;
        ClientTable executedClients = start.ExecutedClients;
        VoteLog votes = start.Votes;

        var credentials = new LinkCredentials(config.ReplicaId, key);
        _network = new ReplicaNetwork(_networkView, genesis.ChainId, credentials, ParseEndpoint(config.Listen), LinkOptions.Default,
            line => LogSampled(ref _networkEvents, line)) { OutboundFilter = _options.OutboundFilter };
        _consensusInputs = new Ordering.ConsensusInputs(_inputs.Reader, _inputs.Writer, _clientInputs, options.Clients.RequestsPerTurn, _network,
            line => LogSampled(ref _droppedPeerMessages, line));
        _transferServer = new Transfer.TransferServer(genesis, options.Transfer, options.TransferFault, _network, _snapshots, ViewProofsAfter, _log, _stop.Token);
        _metrics = new NodeMetrics(genesis.ChainId, config.ReplicaId, () => _executor?.Status.Executed ?? 0, () => _driver?.Status.PendingRequests ?? 0,
            () => _network.QueuedFrames, () => _network.ConnectedPeers, () => _driver?.Status.Regency ?? 0, () => _executor?.Status.View.Id ?? 0,
            () => _executor?.Status.View.N ?? 0);
        _gateway = new Gateway.ClientGateway(ParseEndpoint(config.ClientListen), genesis, credentials, options.Clients, _machine, QueryApplication, _metrics, _log,
            _clientInputs, _consensusInputs.RingDoorbell, _execution.Writer, Describe);
        _reconfigurations = new Pipeline.ReconfigurationCertifier(config.ReplicaId, _uncertifiedReconfigurations, _history, _viewProofs, _signer, _network, _log);
        _ledgerPipeline = new Pipeline.LedgerPipeline(config.ReplicaId, genesis, _ledger.Reader, _store, collector, _signer, _network, _transferServer, _metrics, _log,
            _replyCache, _transferredCertificates, mySignatures, _reconfigurations,
            [.. ledgerStart.Unreleased.Select(u => new LedgerInput.Persist(BuiltBlock.From(u.Block), u.Replies, []))], ledgerStart.LastCertified, ledgerStart.LastConsensusId);
        _driver = new Ordering.ConsensusDriver(config.ReplicaId, core, votes, _consensusInputs, _network, _signer, _execution.Writer, _ledger.Writer,
            () => _ledgerPipeline.Status.DurableConsensusId, _gateway.Replies, TryRequestTransfer, _metrics, _log);
        _executor = new Execution.Executor(genesis, options, config.DataDir, _execution.Reader, _ledger.Writer, _inputs.Writer, _machine, ledgerStart.Head,
            ledgerStart.LastConsensusId, executedClients, new Execution.Checkpointer(_snapshots, options.SnapshotRetention, _log, Task.FromResult(ledgerStart.PendingSnapshot)),
            _replyCache, _history, _signer, _network, _gateway, _viewProofs.EncodeAnswer, () => _driver.Status.View, _transferredCertificates, _metrics, _log);
        _transferCoordinator = new Transfer.TransferCoordinator(config.ReplicaId, genesis, options.Transfer, _networkView, _network, _snapshots, _history, _inputs.Writer,
            _execution.Writer, _ledger.Writer, _ledgerPipeline, () => _executor.Status, () => _driver.Status.View, _transferredCertificates, _log, _stop.Token);
        _router = new Peers.PeerRouter(_network, MessageLimits.From(genesis.Consensus), _consensusInputs, _ledger.Writer, _transferServer,
            _transferCoordinator.Deliver, line => LogSampled(ref _droppedPeerMessages, line));
    }

    /// <summary>File the naive baselines append to, inside the data folder.</summary>
    public const string NaiveLedgerFileName = "naive-ledger.log";

    /// <summary>This replica's id.</summary>
    public int Id { get; }

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> every replica publishes to.</summary>
    public const string MeterName = NodeMetrics.MeterName;

    /// <summary>
    /// Completes when the replica stops; faults if it stopped on its own because a loop failed (a failed fsync, an
    /// invariant violation), so the process can exit with an error instead of lingering.
    /// </summary>
    public Task Completion => Task.WhenAll(_loops);

    /// <summary>The managed id of the one thread that runs the consensus core.</summary>
    public int ConsensusThreadId => _driver.ThreadId;

    /// <summary>One line: consensus state, execution progress, links.</summary>
    public string Status
    {
        get
        {
            Pipeline.LedgerStatus ledger = _ledgerPipeline.Status;
            return $"{_driver.Status.Line} executed {_executor.Status.Executed} block {ledger.CommittedHeight} certified {ledger.LastCertified} peers {_network.ConnectedPeers}/{_network.Peers.Count} " +
                $"queued {_network.QueuedFrames} dropped {_network.DroppedFrames + Interlocked.Read(ref _droppedPeerMessages)} " +
                $"ledger-fsyncs {ledger.Fsyncs} blocks-committed {ledger.BlocksCommitted} vote-fsyncs {_driver.VoteFsyncs}" +
                (_transferCoordinator.Running ? " state-transfer running" : "");
        }
    }

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
        if (genesis.InitialView.TryGetMember(config.ReplicaId, out var member) && member!.PublicKey != key.PublicKey)
        {
            throw new InvalidOperationException($"replica {config.ReplicaId} of the genesis view has identity key {member.PublicKey}, not {key.PublicKey} (the key file in node.json)");
        }

        var host = new ReplicaHost(config, genesis, key, application, loggers, options ?? ReplicaOptions.Default);
        host._loops.Add(host.SupervisedAsync(host._driver.Start(host._stop.Token), e => NodeLog.ConsensusFailed(host._log, e, host.Id, host.Status)));
        host._loops.Add(host.SupervisedAsync(host._executor.RunAsync(host._stop.Token), failed: null));
        host._loops.Add(host.SupervisedAsync(host._ledgerPipeline.RunAsync(host._stop.Token), e => NodeLog.LedgerFailed(host._log, e, host.Id, host.Status)));
        host._loops.Add(host._router.RunAsync(host._stop.Token));
        host._loops.Add(host.TickLoopAsync());
        host._loops.Add(host._gateway.AcceptLoopAsync(host._stop.Token));
        host._loops.Add(host.StatusLoopAsync());
        host._loops.Add(host._gateway.SweepLoopAsync(host._stop.Token));
        if (host._options.Ledger == LedgerMode.Blockchain)
        {
            host._loops.Add(host._transferCoordinator.RunAsync());
        }

        NodeLog.Started(host._log, host.Id, host.Status);
        return host;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        _inputs.Writer.TryComplete();
        _execution.Writer.TryComplete();
        _ledger.Writer.TryComplete();
        await _gateway.DisposeAsync();
        await _network.DisposeAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // A loop that failed has already logged why (critical); disposal still releases everything.
        }

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
        _metrics.Dispose();
        _stop.Dispose();
        NodeLog.Stopped(_log, Id, Status);
    }

    // A component's loop: cancellation ends it quietly; any other failure (a failed fsync, an invariant violation) is
    // logged and stops the replica rather than letting it continue inconsistent or reply on unknown durability.
    // (The execution loop has no failure policy yet: its failure only faults Completion, as before the split.)
    private async Task SupervisedAsync(Task loop, Action<Exception>? failed)
    {
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
        catch (Exception e) when (failed is not null)
        {
            failed(e);
            await _stop.CancelAsync();
            throw;
        }
    }

    private static IPEndPoint ParseEndpoint(string hostPort)
    {
        int colon = hostPort.LastIndexOf(':');
        string host = hostPort[..colon];
        IPAddress address = IPAddress.TryParse(host, out IPAddress? ip) ? ip : Dns.GetHostAddresses(host)[0];
        return new IPEndPoint(address, int.Parse(hostPort.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task TickLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_genesis.Consensus.TickMs));
        try
        {
            long ticks = 0;
            long perSecond = Math.Max(1, 1000 / _genesis.Consensus.TickMs);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                _inputs.Writer.TryWrite(new NodeInput.Tick());
                if (++ticks % perSecond == 0)
                {
                    _ledger.Writer.TryWrite(new LedgerInput.Retransmit());
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // The one-line status every 10 s: what an operator looks at first.
    private async Task StatusLoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                NodeLog.Status(_log, Status);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Logs the 1st, 2nd, 4th, 8th… occurrence, so a flood of bad input cannot flood the log.
    private void LogSampled(ref long counter, string line)
    {
        long n = Interlocked.Increment(ref counter);
        if ((n & (n - 1)) == 0)
        {
            NodeLog.BadInput(_log, line, n);
        }
    }
}
