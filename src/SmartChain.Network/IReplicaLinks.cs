using System.Threading.Channels;
using SmartChain.Core.Views;

namespace SmartChain.Network;

/// <summary>
/// All replica-to-replica links of one replica, as the replica's components use them: queue a frame for a peer (never
/// blocking), read authenticated frames from peers, follow the view's members. <see cref="ReplicaNetwork"/> (TCP with
/// <see cref="SecureLink"/>) in a process; in-memory links under the whole-replica simulator, carrying the same frames.
/// </summary>
public interface IReplicaLinks : IAsyncDisposable
{
    /// <summary>The ids of the current peers.</summary>
    IReadOnlyCollection<int> Peers { get; }

    /// <summary>
    /// Frames from peers, each with the id its link authenticated, in arrival order per link. The reader must
    /// <see cref="Release"/> each frame's payload bytes once it has taken the frame.
    /// </summary>
    ChannelReader<(int From, Frame Frame)> Incoming { get; }

    /// <summary>Peers whose outbound link is up.</summary>
    int ConnectedPeers { get; }

    /// <summary>Frames dropped because a peer's send queue was full.</summary>
    long DroppedFrames { get; }

    /// <summary>Frames waiting in send queues.</summary>
    int QueuedFrames { get; }

    /// <summary>Makes <paramref name="members"/> (this replica excluded, if listed) the peers.</summary>
    void SetPeers(IEnumerable<ReplicaMember> members);

    /// <summary>The reader took a frame of <paramref name="bytes"/> from peer <paramref name="from"/>: they leave its inbound budget.</summary>
    void Release(int from, int bytes);

    /// <summary>Queues a frame for peer <paramref name="peer"/>; never blocks.</summary>
    void Send(int peer, FrameType type, ReadOnlyMemory<byte> payload);

    /// <summary>Queues a frame for every other member.</summary>
    void Broadcast(FrameType type, ReadOnlyMemory<byte> payload);
}
