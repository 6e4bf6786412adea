using System.Net;
using System.Threading.Channels;
using SmartChain.Core.Crypto;
using SmartChain.Network;

namespace SmartChain.ReplicaSimulation;

/// <summary>A replica's client port under simulation: a client connects and both ends of the link exist at once.</summary>
internal sealed class SimClientPort(SimNetwork network, int replica, IPEndPoint endpoint, SimContext context) : IClientPort
{
    private readonly Channel<IFrameLink> _accepted = Channel.CreateUnbounded<IFrameLink>();
    private readonly List<SimFrameLink> _links = [];

    public IPEndPoint LocalEndPoint { get; } = endpoint;

    /// <summary>The incarnation this port belongs to.</summary>
    public SimContext Context => context;

    public async ValueTask<IFrameLink?> AcceptAsync(CancellationToken cancellationToken)
    {
        while (await _accepted.Reader.WaitToReadAsync(cancellationToken))
        {
            if (_accepted.Reader.TryRead(out IFrameLink? link))
            {
                return link;
            }
        }

        return null;
    }

    /// <summary>A client (network endpoint <paramref name="client"/>) links to this replica; returns the client's end.</summary>
    public SimFrameLink Connect(int client, Ed25519PublicKey clientKey, Ed25519PublicKey replicaKey)
    {
        var remote = new IPEndPoint(new IPAddress([10, 0, (byte)(client >> 8), (byte)client]), 40_000);
        var server = new SimFrameLink(network, replica, client, new PeerIdentity(PeerIdentity.ClientId, clientKey), remote)
        {
            OnSend = (type, payload) =>
            {
                if (type == FrameType.Reply)
                {
                    network.OnReplySent?.Invoke(replica, payload);
                }
            },
        };
        var end = new SimFrameLink(network, client, replica, new PeerIdentity(replica, replicaKey), LocalEndPoint) { Other = server };
        server.Other = end;
        _links.Add(server);
        _accepted.Writer.TryWrite(server);
        return end;
    }

    /// <summary>The replica crashed: every link to it breaks.</summary>
    public void Close()
    {
        _accepted.Writer.TryComplete();
        foreach (SimFrameLink link in _links)
        {
            link.Close();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }
}
