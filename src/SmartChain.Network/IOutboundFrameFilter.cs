namespace SmartChain.Network;

/// <summary>
/// Test-only seam: sees every frame a replica sends to a peer and decides what goes out instead (nothing, the frame,
/// a changed frame, an old one, or frames to other peers), through the send callback of
/// <see cref="OnSend"/>. A Byzantine replica process installs one; production replicas never do (null, no cost).
/// </summary>
public interface IOutboundFrameFilter
{
    /// <summary>
    /// This replica is about to queue <paramref name="payload"/> of <paramref name="type"/> for replica <paramref name="peer"/>;
    /// <paramref name="send"/> queues a frame for any peer (called any number of times, or not at all).
    /// </summary>
    void OnSend(int peer, FrameType type, ReadOnlyMemory<byte> payload, Action<int, FrameType, ReadOnlyMemory<byte>> send);
}
