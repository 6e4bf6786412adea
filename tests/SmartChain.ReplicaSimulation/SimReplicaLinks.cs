using System.Threading.Channels;
using SmartChain.Core.Views;
using SmartChain.Network;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// One replica's links to its peers under simulation: what it sends goes through the <see cref="SimNetwork"/>; what
/// arrives from a replica that is not one of its peers is refused, as an unauthorised link would be.
/// </summary>
internal sealed class SimReplicaLinks(SimNetwork network, int self, IEnumerable<ReplicaMember> members) : IReplicaLinks
{
    private readonly Channel<(int From, Frame Frame)> _incoming = Channel.CreateUnbounded<(int, Frame)>(new UnboundedChannelOptions { SingleReader = true });
    private HashSet<int> _peers = [.. members.Select(m => m.Id).Where(i => i != self)];

    public IReadOnlyCollection<int> Peers => _peers;

    public ChannelReader<(int From, Frame Frame)> Incoming => _incoming.Reader;

    public int ConnectedPeers => _peers.Count;

    public long DroppedFrames => 0;

    public int QueuedFrames => 0;

    public void SetPeers(IEnumerable<ReplicaMember> members) => _peers = [.. members.Select(m => m.Id).Where(i => i != self)];

    public void Release(int from, int bytes)
    {
    }

    public void Send(int peer, FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (_peers.Contains(peer))
        {
            network.SendToReplica(self, peer, type, payload);
        }
    }

    public void Broadcast(FrameType type, ReadOnlyMemory<byte> payload)
    {
        foreach (int to in _peers.Order())
        {
            Send(to, type, payload);
        }
    }

    internal void Receive(int from, FrameType type, byte[] payload)
    {
        if (_peers.Contains(from))
        {
            _incoming.Writer.TryWrite((from, new Frame(type, from, payload)));
        }
    }

    public ValueTask DisposeAsync()
    {
        _incoming.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }
}
