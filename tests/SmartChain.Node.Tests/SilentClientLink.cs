using System.Net;
using SmartChain.Network;

namespace SmartChain.Node.Tests;

/// <summary>A client link that takes every frame sent and never receives one (until cancelled).</summary>
internal sealed class SilentClientLink(PeerIdentity peer) : IFrameLink
{
    public PeerIdentity Peer => peer;

    public EndPoint? RemoteEndPoint => null;

    public ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> payload, bool flush, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return null;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
