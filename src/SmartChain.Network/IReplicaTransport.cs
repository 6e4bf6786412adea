using System.Net;
using SmartChain.Core.Views;

namespace SmartChain.Network;

/// <summary>
/// How a replica gets its links: to peers and from clients. <see cref="TcpTransport"/> is the real one; the whole-replica
/// simulator supplies in-memory links that carry the same encoded frames between replicas of one process.
/// </summary>
public interface IReplicaTransport
{
    /// <summary>The links to the other members of <paramref name="view"/>, listening on <paramref name="listen"/> for theirs.</summary>
    IReplicaLinks ConnectReplicas(View view, string chainId, LinkCredentials self, IPEndPoint listen, LinkOptions options, Action<string> log,
        IOutboundFrameFilter? outboundFilter);

    /// <summary>The port clients link to, at <paramref name="endpoint"/>; <paramref name="onRejected"/> hears of refused connections.</summary>
    IClientPort ListenForClients(IPEndPoint endpoint, string chainId, LinkCredentials self, LinkOptions options, Action<EndPoint?, string> onRejected);
}
