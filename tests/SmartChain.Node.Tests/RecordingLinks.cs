using System.Collections.Concurrent;
using System.Threading.Channels;
using SmartChain.Core.Views;
using SmartChain.Network;

namespace SmartChain.Node.Tests;

/// <summary>
/// Replica links that deliver nothing and record what a component sends to each peer and to all (by default peers 0–2
/// connected, the links of a replica 3).
/// </summary>
internal sealed class RecordingLinks(IReadOnlyCollection<int>? peers = null) : IReplicaLinks
{
    private readonly Channel<(int From, Frame Frame)> _incoming = Channel.CreateUnbounded<(int, Frame)>();

    /// <summary>Every frame sent to one peer, in order.</summary>
    public List<(int Peer, FrameType Type, byte[] Payload)> Sent { get; } = [];

    /// <summary>How many frames were sent to <paramref name="peer"/>.</summary>
    public int SentTo(int peer) => Sent.Count(s => s.Peer == peer);

    /// <summary>Every frame broadcast, in order; a test may wait on it while the component runs.</summary>
    public BlockingCollection<byte[]> Broadcasts { get; } = [];

    public IReadOnlyCollection<int> Peers { get; } = peers ?? [0, 1, 2];

    public ChannelReader<(int From, Frame Frame)> Incoming => _incoming.Reader;

    public int ConnectedPeers => 3;

    public long DroppedFrames => 0;

    public int QueuedFrames => 0;

    public void SetPeers(IEnumerable<ReplicaMember> members)
    {
    }

    public void Release(int from, int bytes)
    {
    }

    public void Send(int peer, FrameType type, ReadOnlyMemory<byte> payload) => Sent.Add((peer, type, payload.ToArray()));

    public void Broadcast(FrameType type, ReadOnlyMemory<byte> payload) => Broadcasts.Add(payload.ToArray());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
