using System.Net;
using System.Threading.Channels;
using SmartChain.Coin;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Network;

namespace SmartChain.Node.Tests;

/// <summary>
/// The peer pump (<see cref="Peers.PeerRouter"/>) is supervised like the consensus and ledger loops: if it fails, the
/// replica logs why and stops, instead of running on deaf to every peer (no vote, signature or transfer answer taken)
/// with a <see cref="ReplicaHost.Completion"/> that never completes.
/// </summary>
public sealed class PeerRouterSupervisionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_failing_peer_pump_is_logged_and_stops_the_replica()
    {
        using var folder = new TempDirectory();
        Ed25519KeyPair[] keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(40 + i), 32).ToArray()))];
        using var minter = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)49, 32).ToArray());
        int[] ports = TestPorts.Free(8);
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", ports[2 * i], ports[(2 * i) + 1], keys[i].PublicKey)));
        var genesis = new GenesisDocument("router-supervision", PersistenceMode.Weak, view, ConsensusParameters.Default, 1000, [minter.PublicKey]);
        ReplicaMember me = view.Members[0];
        var log = new LogCapture();
        var options = ReplicaOptions.Default with { Platform = ReplicaPlatform.Default with { Links = new FailingIncomingTransport() } };

        ReplicaHost host = ReplicaHost.Start(new NodeConfig(0, "genesis.json", me.ReplicaEndpoint, me.ClientEndpoint, folder.Combine("data"), "unused"),
            genesis, keys[0], g => CoinApplication.ForGenesis(g), log, options);
        try
        {
            // The replica's end, or the wait's (TimeoutException): before supervision it ran on, deaf.
            Exception failure = await Assert.ThrowsAnyAsync<Exception>(() => host.Completion.WaitAsync(Wait));
            Assert.True(failure is InvalidOperationException { Message: FailingIncomingTransport.Reason },
                $"the replica did not stop for its failed peer pump: {failure.GetType().Name}: {failure.Message}");
            Assert.Single(log.Containing("peer pump failed; replica 0 stops"));
        }
        finally
        {
            await host.DisposeAsync();
            foreach (Ed25519KeyPair key in keys)
            {
                key.Dispose();
            }
        }
    }

    // Real TCP links whose incoming frames cannot be read: the pump's first read throws.
    private sealed class FailingIncomingTransport : IReplicaTransport
    {
        public const string Reason = "injected: the incoming frames cannot be read";

        public IReplicaLinks ConnectReplicas(View view, string chainId, LinkCredentials self, IPEndPoint listen, LinkOptions options, Action<string> log,
            IOutboundFrameFilter? outboundFilter) =>
            new Links(TcpTransport.Instance.ConnectReplicas(view, chainId, self, listen, options, log, outboundFilter));

        public IClientPort ListenForClients(IPEndPoint endpoint, string chainId, LinkCredentials self, LinkOptions options, Action<EndPoint?, string> onRejected) =>
            TcpTransport.Instance.ListenForClients(endpoint, chainId, self, options, onRejected);

        private sealed class Links(IReplicaLinks inner) : IReplicaLinks
        {
            public IReadOnlyCollection<int> Peers => inner.Peers;

            public ChannelReader<(int From, Frame Frame)> Incoming { get; } = new FailingReader();

            public int ConnectedPeers => inner.ConnectedPeers;

            public long DroppedFrames => inner.DroppedFrames;

            public int QueuedFrames => inner.QueuedFrames;

            public void SetPeers(IEnumerable<ReplicaMember> members) => inner.SetPeers(members);

            public void Release(int from, int bytes) => inner.Release(from, bytes);

            public void Send(int peer, FrameType type, ReadOnlyMemory<byte> payload) => inner.Send(peer, type, payload);

            public void Broadcast(FrameType type, ReadOnlyMemory<byte> payload) => inner.Broadcast(type, payload);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }

        private sealed class FailingReader : ChannelReader<(int From, Frame Frame)>
        {
            public override bool TryRead(out (int From, Frame Frame) item) => throw new InvalidOperationException(Reason);

            public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => throw new InvalidOperationException(Reason);
        }
    }
}
