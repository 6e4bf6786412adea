using System.Buffers;
using System.Net;
using SmartChain.Coin;
using SmartChain.Core.Application;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network;

namespace SmartChain.Node.Tests;

/// <summary>
/// Every loop the host starts is supervised: a fault in the execution loop or the client accept loop is logged as a
/// critical line naming the loop, the replica and the reason, and stops the replica (its <see cref="ReplicaHost.Completion"/>
/// faults, so <c>node run</c> exits non-zero); a fault in one client session is that session's, logged, and the replica
/// goes on. <see cref="PeerRouterSupervisionTests"/> has the peer pump.
/// </summary>
public sealed class LoopSupervisionTests
{
    private const string Reason = "injected: a bug in the loop";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_failing_execution_loop_is_logged_and_stops_the_replica()
    {
        bool armed = false; // only replica 0, restarted below, runs the failing application
        await using var net = new InProcessNetwork(application: g => armed ? new FailingExecution(CoinApplication.ForGenesis(g)) : CoinApplication.ForGenesis(g));
        var log = new LogCapture();
        await net.StopAsync(0);
        (armed, net.Loggers) = (true, log);
        ReplicaHost host = net.Start(0);

        // Replicas 1-3 execute and answer; replica 0 decides the same request and its executor throws.
        await Minting.MintAsync(net, seed: 5, count: 1);
        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => host.Completion.WaitAsync(Wait));
        Assert.True(failure is InvalidOperationException { Message: Reason },
            $"the replica did not stop for its failed execution loop: {failure.GetType().Name}: {failure.Message}");
        Assert.Single(log.Containing($"execution loop failed (InvalidOperationException: {Reason}); replica 0 stops"));
    }

    [Fact]
    public async Task A_failing_client_accept_loop_is_logged_and_stops_the_replica()
    {
        var log = new LogCapture();
        await using var replica = Replica.Start(log, new ClientPortTransport(_ => new FailingPort()));
        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => replica.Host.Completion.WaitAsync(Wait));
        Assert.True(failure is InvalidOperationException { Message: Reason },
            $"the replica did not stop for its failed accept loop: {failure.GetType().Name}: {failure.Message}");
        Assert.Single(log.Containing($"client accept loop failed (InvalidOperationException: {Reason}); replica 0 stops"));
    }

    [Fact]
    public async Task A_loop_ended_by_a_cancellation_that_is_not_the_replicas_stop_is_logged_and_stops_the_replica()
    {
        // Before, any OperationCanceledException ended a loop quietly: the replica ran on without accepting clients.
        var log = new LogCapture();
        await using var replica = Replica.Start(log, new ClientPortTransport(_ => new CancelledPort()));
        Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => replica.Host.Completion.WaitAsync(Wait));
        Assert.True(failure is InvalidOperationException { InnerException: OperationCanceledException },
            $"the replica did not stop for its quietly ended accept loop: {failure.GetType().Name}: {failure.Message}");
        Assert.Single(log.Containing("client accept loop failed (OperationCanceledException"));
    }

    [Fact]
    public async Task A_failing_client_session_is_logged_and_closed_and_the_replica_goes_on()
    {
        var log = new LogCapture();
        using var client = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)61, 32).ToArray());
        var port = new OneLinkPort(new FailingLink(new PeerIdentity(PeerIdentity.ClientId, client.PublicKey)));
        await using var replica = Replica.Start(log, new ClientPortTransport(_ => port));
        using var cts = new CancellationTokenSource(Wait);

        // Before, the session's task faulted and the accept loop dropped it unobserved: nothing was logged.
        await log.WaitForAsync($"failed (InvalidOperationException: {Reason}); it is closed, the replica goes on", cts.Token);
        await port.Closed.WaitAsync(cts.Token);
        Assert.False(replica.Host.Completion.IsCompleted, "a client's session stopped the replica");
        Assert.Empty(log.Containing("replica 0 stops"));
    }

    // Replica 0 of a four-replica view, alone (nothing it does here needs a quorum).
    private sealed class Replica : IAsyncDisposable
    {
        private readonly TempDirectory _folder;
        private readonly Ed25519KeyPair[] _keys;

        private Replica(TempDirectory folder, Ed25519KeyPair[] keys, ReplicaHost host) => (_folder, _keys, Host) = (folder, keys, host);

        public ReplicaHost Host { get; }

        public static Replica Start(LogCapture log, IReplicaTransport links)
        {
            var folder = new TempDirectory();
            Ed25519KeyPair[] keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(50 + i), 32).ToArray()))];
            int[] ports = TestPorts.Free(8);
            var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", ports[2 * i], ports[(2 * i) + 1], keys[i].PublicKey)));
            var genesis = new GenesisDocument("loop-supervision", PersistenceMode.Weak, view, ConsensusParameters.Default, 1000, []);
            ReplicaMember me = view.Members[0];
            var options = ReplicaOptions.Default with { Platform = ReplicaPlatform.Default with { Links = links } };
            ReplicaHost host = ReplicaHost.Start(new NodeConfig(0, "genesis.json", me.ReplicaEndpoint, me.ClientEndpoint, folder.Combine("data"), "unused"),
                genesis, keys[0], g => CoinApplication.ForGenesis(g), log, options);
            return new Replica(folder, keys, host);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            foreach (Ed25519KeyPair key in _keys)
            {
                key.Dispose();
            }

            _folder.Dispose();
        }
    }

    // Real TCP links between replicas; the client port is the test's.
    private sealed class ClientPortTransport(Func<IPEndPoint, IClientPort> port) : IReplicaTransport
    {
        public IReplicaLinks ConnectReplicas(View view, string chainId, LinkCredentials self, IPEndPoint listen, LinkOptions options, Action<string> log,
            IOutboundFrameFilter? outboundFilter) =>
            TcpTransport.Instance.ConnectReplicas(view, chainId, self, listen, options, log, outboundFilter);

        public IClientPort ListenForClients(IPEndPoint endpoint, string chainId, LinkCredentials self, LinkOptions options, Action<EndPoint?, string> onRejected) =>
            port(endpoint);
    }

    private sealed class FailingPort : IClientPort
    {
        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 0);

        public ValueTask<IFrameLink?> AcceptAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Reason);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class CancelledPort : IClientPort
    {
        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 0);

        public ValueTask<IFrameLink?> AcceptAsync(CancellationToken cancellationToken) => throw new OperationCanceledException("a token of the port's own");

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    // Hands out one link, then waits for the replica to stop.
    private sealed class OneLinkPort(FailingLink link) : IClientPort
    {
        private int _taken;

        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 0);

        public Task Closed => link.Closed;

        public async ValueTask<IFrameLink?> AcceptAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _taken, 1) == 0)
            {
                return link;
            }

            // No second client ever connects: the accept waits for the replica's stop.
            await new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously).Task.WaitAsync(cancellationToken);
            return null;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    // A client link whose first read throws what no link, decoder or socket throws: a bug on the session's path.
    private sealed class FailingLink(PeerIdentity peer) : IFrameLink
    {
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Closed => _closed.Task;

        public PeerIdentity Peer => peer;

        public EndPoint? RemoteEndPoint => null;

        public ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> payload, bool flush, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(Reason);

        public ValueTask DisposeAsync()
        {
            _closed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }

    // SMaRtCoin whose execution throws: a bug in the executor's path, injected through the application it calls.
    private sealed class FailingExecution(IReplicatedApplication inner) : IReplicatedApplication
    {
        public TxCheck CheckTx(SignedRequest request) => inner.CheckTx(request);

        public IReadOnlyList<byte[]> ExecuteBatch(BatchContext context, IReadOnlyList<SignedRequest> batch) => throw new InvalidOperationException(Reason);

        public void WriteSnapshot(IBufferWriter<byte> output) => inner.WriteSnapshot(output);

        public IStateView CaptureState() => inner.CaptureState();

        public string? Admit(SignedRequest request) => inner.Admit(request);

        public void RestoreSnapshot(ReadOnlySpan<byte> snapshot) => inner.RestoreSnapshot(snapshot);

        public byte[] Query(ReadOnlySpan<byte> query) => inner.Query(query);

        public Hash256 ComputeStateHash() => inner.ComputeStateHash();

        public JoinVerdict EvaluateJoin(JoinCandidate candidate, View view) => inner.EvaluateJoin(candidate, view);
    }
}
