using System.Net;
using System.Text;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Network.Tests;

/// <summary>The test-only outbound seam: every frame to every peer, sends and broadcasts alike, goes through the filter.</summary>
public sealed class OutboundFilterTests : IDisposable
{
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 3).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(70 + i), 32).ToArray()))];
    private readonly View _view;

    public OutboundFilterTests()
    {
        int[] ports = TestPorts.Free(3);
        _view = new View(0, Enumerable.Range(0, 3).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", ports[i], ports[i] + 1, _keys[i].PublicKey)));
    }

    public void Dispose() => Array.ForEach(_keys, k => k.Dispose());

    private sealed class Liar : IOutboundFrameFilter
    {
        public void OnSend(int peer, FrameType type, ReadOnlyMemory<byte> payload, Action<int, FrameType, ReadOnlyMemory<byte>> send)
        {
            string text = Encoding.UTF8.GetString(payload.Span);
            if (!text.StartsWith("drop", StringComparison.Ordinal))
            {
                send(peer, type, Encoding.UTF8.GetBytes($"{text} as told to {peer}"));
            }
        }
    }

    private ReplicaNetwork Start(int id, IOutboundFrameFilter? filter = null) => new(_view, "filter-test", new LinkCredentials(id, _keys[id]),
        new IPEndPoint(IPAddress.Loopback, _view.Members[id].Port), LinkOptions.Default, _ => { }) { OutboundFilter = filter };

    private static async Task<string> NextAsync(ReplicaNetwork network)
    {
        using var cts = new CancellationTokenSource(LinkFixture.Wait);
        (int _, Frame frame) = await network.Incoming.ReadAsync(cts.Token);
        return Encoding.UTF8.GetString(frame.Payload.Span);
    }

    [Fact]
    public async Task A_filter_changes_or_drops_each_frame_per_peer()
    {
        ReplicaNetwork liar = Start(0, new Liar());
        ReplicaNetwork one = Start(1);
        ReplicaNetwork two = Start(2);
        try
        {
            liar.Broadcast(FrameType.Consensus, "hello"u8.ToArray());
            Assert.Equal("hello as told to 1", await NextAsync(one));
            Assert.Equal("hello as told to 2", await NextAsync(two));

            liar.Send(2, FrameType.Consensus, "drop me"u8.ToArray());
            liar.Send(2, FrameType.Consensus, "keep"u8.ToArray());
            Assert.Equal("keep as told to 2", await NextAsync(two));
        }
        finally
        {
            await liar.DisposeAsync();
            await one.DisposeAsync();
            await two.DisposeAsync();
        }
    }
}
