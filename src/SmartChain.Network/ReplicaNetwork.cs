using System.Net;
using System.Threading.Channels;
using SmartChain.Core.Views;

namespace SmartChain.Network;

/// <summary>
/// All replica-to-replica links of one replica: a listener that admits only view members (inbound, one receive
/// loop per link) and one <see cref="PeerSender"/> per other member (outbound). Each direction of a pair uses its
/// own connection, so there is no race over who dials whom. Received frames come out of <see cref="Incoming"/>,
/// a bounded channel; a link that misbehaves is closed with the reason, and its peer may reconnect.
/// </summary>
public sealed class ReplicaNetwork : IAsyncDisposable
{
    private readonly LinkListener _listener;
    private readonly Dictionary<int, PeerSender> _senders = [];
    private readonly Channel<(int From, Frame Frame)> _incoming;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _receivers = [];
    private readonly Task _acceptLoop;

    /// <summary>Starts listening on <paramref name="listen"/> and connecting to every other member of <paramref name="view"/>.</summary>
    public ReplicaNetwork(View view, string chainId, LinkCredentials me, IPEndPoint listen, LinkOptions options, Action<string> log,
        int sendQueueCapacity = 16_384, int incomingCapacity = 65_536)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(me);
        _log = log;
        _incoming = Channel.CreateBounded<(int, Frame)>(new BoundedChannelOptions(incomingCapacity) { SingleReader = true });
        _listener = new LinkListener(listen, chainId, me, LinkAuthorization.ReplicasOf(view), options,
            (remote, reason) => log($"refused a replica connection from {remote}: {reason}"));
        foreach (ReplicaMember member in view.Members)
        {
            if (member.Id == me.ReplicaId)
            {
                continue;
            }

            var expected = new PeerIdentity(member.Id, member.PublicKey);
            _senders.Add(member.Id, new PeerSender(member.Id, sendQueueCapacity,
                ct => SecureLink.ConnectAsync(member.Host, member.Port, chainId, me, expected, options, ct), log));
        }

        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The bound replica endpoint.</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Authenticated frames from peers, in arrival order per link.</summary>
    public ChannelReader<(int From, Frame Frame)> Incoming => _incoming.Reader;

    /// <summary>Peers whose outbound link is up.</summary>
    public int ConnectedPeers => _senders.Values.Count(s => s.Connected);

    /// <summary>Frames dropped because a peer's send queue was full.</summary>
    public long DroppedFrames => _senders.Values.Sum(s => s.Dropped);

    /// <summary>Frames waiting in send queues.</summary>
    public int QueuedFrames => _senders.Values.Sum(s => s.Queued);

    /// <summary>Queues a frame for one peer; never blocks.</summary>
    public void Send(int to, FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (_senders.TryGetValue(to, out PeerSender? sender))
        {
            sender.Enqueue(type, payload);
        }
    }

    /// <summary>Queues a frame for every other member.</summary>
    public void Broadcast(FrameType type, ReadOnlyMemory<byte> payload)
    {
        foreach (PeerSender sender in _senders.Values)
        {
            sender.Enqueue(type, payload);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.DisposeAsync();
        foreach (PeerSender sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }

        try
        {
            await Task.WhenAll([_acceptLoop, .. _receivers]);
        }
        catch (OperationCanceledException)
        {
        }

        _incoming.Writer.TryComplete();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            await foreach (SecureLink link in _listener.Accepted.ReadAllAsync(_stop.Token))
            {
                lock (_receivers)
                {
                    _receivers.RemoveAll(t => t.IsCompleted);
                    _receivers.Add(ReceiveLoopAsync(link));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReceiveLoopAsync(SecureLink link)
    {
        await using (link)
        {
            try
            {
                while (await link.ReceiveAsync(_stop.Token) is { } frame)
                {
                    await _incoming.Writer.WriteAsync((link.Peer.ReplicaId, frame), _stop.Token);
                }
            }
            catch (LinkException e)
            {
                _log($"closed the link from {link.Peer}: {e.Message}");
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ChannelClosedException)
            {
            }
        }
    }
}
