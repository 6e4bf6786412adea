using System.Net;

namespace SmartChain.Network;

/// <summary>
/// One authenticated link: frames in order both ways, and the identity its handshake proved (<see cref="Peer"/>).
/// <see cref="SecureLink"/> over TCP in a process; an in-memory link under the whole-replica simulator, which carries the
/// same frame bytes and knows its peer the same way.
/// </summary>
public interface IFrameLink : IAsyncDisposable
{
    /// <summary>Who is at the other end, as authenticated when the link was made.</summary>
    PeerIdentity Peer { get; }

    /// <summary>The remote address (a client's source, for per-source limits), if known.</summary>
    EndPoint? RemoteEndPoint { get; }

    /// <summary>Sends one frame; with <paramref name="flush"/> false it may wait in a buffer until <see cref="FlushAsync"/>.</summary>
    ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> payload, bool flush, CancellationToken cancellationToken);

    /// <summary>Sends what is buffered.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>The next frame, or null once the other end closed the link.</summary>
    /// <exception cref="LinkException">The peer broke the protocol; the link is unusable.</exception>
    ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken);
}
