using System.Net;
using System.Net.Sockets;

namespace SmartChain.Network;

/// <summary>A handshake in progress on a <see cref="LinkListener"/>: its socket, source address, and the token that evicts it.</summary>
internal sealed class PendingHandshake(Socket socket, IPAddress source, CancellationTokenSource cancel)
{
    public Socket Socket { get; } = socket;

    public IPAddress Source { get; } = source;

    public CancellationTokenSource Cancel { get; } = cancel;

    /// <summary>Its place in the listener's oldest-first list; null once it left it.</summary>
    public LinkedListNode<PendingHandshake>? Node { get; set; }

    /// <summary>Set before <see cref="Cancel"/> fires, so the handshake reports eviction rather than shutdown.</summary>
    public bool Evicted { get; set; }
}
