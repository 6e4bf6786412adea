using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using SmartChain.Consensus;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;
using SmartChain.Network;
using SmartChain.Node.Ordering;

namespace SmartChain.Node.Tests;

/// <summary>
/// One replica's consensus driver over in-memory channels, its vote log in a test's folder: the test queues inputs
/// (<see cref="Inputs"/>, <see cref="Clients"/>), before or after <see cref="Start"/>, and reads what the driver hands to
/// execution (<see cref="Execution"/>) and sends (the links it was given).
/// </summary>
internal sealed class DriverUnderTest : IDisposable
{
    private readonly VoteLog _votes;
    private readonly Views.ViewSigner _signer;
    private readonly NodeMetrics _metrics;
    private readonly Channel<LedgerInput> _ledger = Channel.CreateUnbounded<LedgerInput>();

    public DriverUnderTest(int id, View view, string chain, Ed25519KeyPair key, ConsensusOptions options, IReplicaLinks links, string folder,
        int clientQueue = 16)
    {
        var main = Channel.CreateUnbounded<NodeInput>();
        Clients = new ClientInputQueue(maxCount: clientQueue, maxBytes: long.MaxValue);
        Inputs = new ConsensusInputs(main.Reader, main.Writer, Clients, requestsPerTurn: 64, links, _ => { });
        _votes = VoteLog.Open(Path.Combine(folder, "votes.log"), 0, out _, _ => { });
        _signer = new Views.ViewSigner(id, key, null);
        _metrics = new NodeMetrics(chain, id, () => 0, () => 0, () => 0, () => 3, () => 0, () => 0, () => 4);
        var core = new ReplicaCore(id, view, chain, key, options, r => r.Verify(chain));
        Driver = new ConsensusDriver(id, core, _votes, Inputs, links, _signer, Execution.Writer, _ledger.Writer, () => 0,
            new Gateway.ReplyRegistry(TimeProvider.System), () => false, _metrics, NullLogger.Instance);
    }

    /// <summary>Client requests waiting for the consensus loop.</summary>
    public ClientInputQueue Clients { get; }

    /// <summary>Where peers' messages are offered and the loop is woken.</summary>
    public ConsensusInputs Inputs { get; }

    public ConsensusDriver Driver { get; }

    /// <summary>Decisions and answers, in the order the driver hands them to execution.</summary>
    public Channel<ExecutionItem> Execution { get; } = Channel.CreateUnbounded<ExecutionItem>();

    /// <summary>Starts the loop with a one-minute tick: no tick comes within a test.</summary>
    public Task Start(CancellationToken stop) => Driver.Start(tickMs: 60_000, TimeProvider.System, stop);

    public void Dispose()
    {
        Driver.Dispose(); // closes the vote log too
        _metrics.Dispose();
        _signer.Dispose();
    }
}
