using System.Net;
using SmartChain.Core.Views;

namespace SmartChain.Network;

/// <summary>Real links: <see cref="ReplicaNetwork"/> to peers and a <see cref="LinkListener"/> for clients, over TCP with SecureLink.</summary>
public sealed class TcpTransport : IReplicaTransport
{
    /// <summary>The one instance (it holds no state).</summary>
    public static TcpTransport Instance { get; } = new();

    /// <inheritdoc />
    public IReplicaLinks ConnectReplicas(View view, string chainId, LinkCredentials self, IPEndPoint listen, LinkOptions options, Action<string> log,
        IOutboundFrameFilter? outboundFilter) =>
        new ReplicaNetwork(view, chainId, self, listen, options, log) { OutboundFilter = outboundFilter };

    /// <inheritdoc />
    public IClientPort ListenForClients(IPEndPoint endpoint, string chainId, LinkCredentials self, LinkOptions options, Action<EndPoint?, string> onRejected) =>
        new ListenerClientPort(endpoint, chainId, self, options, onRejected);
}
