using System.Net;

namespace SmartChain.Network;

/// <summary>The real client port: a <see cref="LinkListener"/> that admits any client key.</summary>
public sealed class ListenerClientPort : IClientPort
{
    private readonly LinkListener _listener;

    /// <summary>Binds <paramref name="endpoint"/>; <paramref name="onRejected"/> hears of every refused connection and why.</summary>
    public ListenerClientPort(IPEndPoint endpoint, string chainId, LinkCredentials me, LinkOptions options, Action<EndPoint?, string> onRejected) =>
        _listener = new LinkListener(endpoint, chainId, me, LinkAuthorization.AnyClient, options, onRejected);

    /// <inheritdoc />
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <inheritdoc />
    public async ValueTask<IFrameLink?> AcceptAsync(CancellationToken cancellationToken)
    {
        while (await _listener.Accepted.WaitToReadAsync(cancellationToken))
        {
            if (_listener.Accepted.TryRead(out SecureLink? link))
            {
                return link;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
