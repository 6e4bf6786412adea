using System.Net;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Network.Tests;

public sealed class ReplicaNetworkTests : IAsyncDisposable
{
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(50 + i), 32).ToArray()))];
    private readonly View _view;
    private readonly List<string> _log = [];

    public ReplicaNetworkTests()
    {
        int[] ports = TestPorts.Free(4);
        _view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", ports[i], ports[i] + 1, _keys[i].PublicKey)));
    }

    public ValueTask DisposeAsync()
    {
        foreach (Ed25519KeyPair key in _keys)
        {
            key.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private ReplicaNetwork Start(int id) => new(_view, "mesh-test", new LinkCredentials(id, _keys[id]),
        new IPEndPoint(IPAddress.Loopback, _view.Members[id].Port), LinkOptions.Default, line => { lock (_log) { _log.Add(line); } });

    private static async Task<(int From, string Text)> NextAsync(ReplicaNetwork network)
    {
        using var cts = new CancellationTokenSource(LinkFixture.Wait);
        (int from, Frame frame) = await network.Incoming.ReadAsync(cts.Token);
        return (from, System.Text.Encoding.UTF8.GetString(frame.Payload.Span));
    }

    [Fact]
    public async Task Every_replica_reaches_every_other_over_authenticated_links()
    {
        ReplicaNetwork[] nets = [.. Enumerable.Range(0, 4).Select(Start)];
        try
        {
            for (int i = 0; i < 4; i++)
            {
                nets[i].Broadcast(FrameType.Consensus, System.Text.Encoding.UTF8.GetBytes($"from {i}"));
            }

            for (int i = 0; i < 4; i++)
            {
                var got = new HashSet<(int, string)>();
                for (int k = 0; k < 3; k++)
                {
                    got.Add(await NextAsync(nets[i]));
                }

                Assert.Equal(Enumerable.Range(0, 4).Where(j => j != i).Select(j => (j, $"from {j}")).ToHashSet(), got);
            }
        }
        finally
        {
            foreach (ReplicaNetwork net in nets)
            {
                await net.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_restarted_peer_is_reconnected_to()
    {
        ReplicaNetwork one = Start(1);
        ReplicaNetwork two = Start(2);
        try
        {
            one.Send(2, FrameType.Consensus, "before"u8.ToArray());
            Assert.Equal((1, "before"), await NextAsync(two));

            await two.DisposeAsync();
            two = Start(2);

            // Frames sent while the old link dies may be lost (the core retransmits); keep sending until one arrives.
            using var cts = new CancellationTokenSource(LinkFixture.Wait);
            Task<(int From, string Text)> next = NextAsync(two);
            while (!next.IsCompleted)
            {
                one.Send(2, FrameType.Consensus, "after"u8.ToArray());
                await Task.WhenAny(next, Task.Delay(50, cts.Token));
            }

            Assert.Equal((1, "after"), await next);
        }
        finally
        {
            await one.DisposeAsync();
            await two.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_send_queue_to_an_unreachable_peer_is_bounded()
    {
        var net = new ReplicaNetwork(_view, "mesh-test", new LinkCredentials(0, _keys[0]),
            new IPEndPoint(IPAddress.Loopback, _view.Members[0].Port), LinkOptions.Default, _ => { }, sendQueueCapacity: 10);
        try
        {
            for (int i = 0; i < 100; i++)
            {
                net.Send(3, FrameType.Consensus, new byte[10]);
            }

            Assert.True(net.QueuedFrames <= 10 * 3, $"{net.QueuedFrames} frames queued");
            Assert.True(net.DroppedFrames >= 90, $"{net.DroppedFrames} dropped");
            Assert.Equal(0, net.ConnectedPeers);
        }
        finally
        {
            await net.DisposeAsync();
        }
    }
}
