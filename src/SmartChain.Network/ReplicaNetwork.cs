using System.Net;
using System.Threading.Channels;
using SmartChain.Core.Views;

namespace SmartChain.Network;

/// <summary>
/// All replica-to-replica links of one replica: a listener that admits only its peers (inbound, one receive loop per
/// link) and one <see cref="PeerSender"/> per peer (outbound). Each direction of a pair uses its own connection, so
/// there is no race over who dials whom. Received frames come out of <see cref="Incoming"/>, a bounded channel; a link
/// that misbehaves is closed with the reason, and its peer may reconnect. The peers change with the view
/// (<see cref="SetPeers"/>): a new member is dialled and admitted, a removed one's links are closed.
/// </summary>
public sealed class ReplicaNetwork : IReplicaLinks
{
    private readonly LinkListener _listener;
    private readonly LinkCredentials _me;
    private readonly string _chainId;
    private readonly LinkOptions _options;
    private readonly int _sendQueueCapacity;
    private readonly Lock _gate = new();
    private readonly List<Task> _retired = [];

    // Replaced, never changed in place: senders and sends run on other threads than a view change.
    private volatile Dictionary<int, PeerSender> _senders = [];
    private volatile Dictionary<int, ReplicaMember> _peers = [];
    private readonly Channel<(int From, Frame Frame)> _incoming;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, PeerInboundBudget> _inbound = new();
    private readonly long _inboundBytesPerPeer;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _receivers = [];
    private readonly Task _acceptLoop;

    /// <summary>Starts listening on <paramref name="listen"/> and connecting to every other member of <paramref name="view"/>.</summary>
    public ReplicaNetwork(View view, string chainId, LinkCredentials me, IPEndPoint listen, LinkOptions options, Action<string> log,
        int sendQueueCapacity = 16_384, int incomingCapacity = 65_536, long inboundBytesPerPeer = DefaultInboundBytesPerPeer)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(me);
        _log = log;
        _me = me;
        _chainId = chainId;
        _options = options;
        _sendQueueCapacity = sendQueueCapacity;
        _inboundBytesPerPeer = inboundBytesPerPeer;
        // Synchronous continuations: a reader waiting for frames (the replica's peer pump) resumes on the receive loop
        // that wrote the frame, not through a thread-pool work item and a worker's wake-up per frame (about ten peer
        // frames per consensus instance; docs/performance.md, "The cost of an instance"). The pump only decodes and
        // queues, and a link's next frame waits for it as it waited for the channel before.
        _incoming = Channel.CreateBounded<(int, Frame)>(
            new BoundedChannelOptions(incomingCapacity) { SingleReader = true, AllowSynchronousContinuations = true });
        _listener = new LinkListener(listen, chainId, me, Admit, options,
            (remote, reason) => log($"refused a replica connection from {remote}: {reason}"));
        SetPeers(view.Members);
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>
    /// Makes <paramref name="members"/> (this replica excluded, if listed) the peers: new ones are dialled and admitted,
    /// ones no longer listed have their outbound link closed and their inbound links closed at their next frame.
    /// </summary>
    public void SetPeers(IEnumerable<ReplicaMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        lock (_gate)
        {
            var peers = new Dictionary<int, ReplicaMember>();
            var senders = new Dictionary<int, PeerSender>();
            foreach (ReplicaMember member in members)
            {
                if (member.Id == _me.ReplicaId)
                {
                    continue;
                }

                peers[member.Id] = member;
                if (_senders.TryGetValue(member.Id, out PeerSender? existing) && _peers[member.Id] == member with { ViewKey = _peers[member.Id].ViewKey })
                {
                    senders[member.Id] = existing; // same replica (its view key changes with every view; its link does not)
                    continue;
                }

                var expected = new PeerIdentity(member.Id, member.PublicKey);
                senders[member.Id] = new PeerSender(member.Id, _sendQueueCapacity,
                    ct => SecureLink.ConnectAsync(member.Host, member.Port, _chainId, _me, expected, _options, ct), _log,
                    maxFrameBytes: _options.MaxFrameBytes);
            }

            foreach ((int id, PeerSender sender) in _senders)
            {
                if (!senders.TryGetValue(id, out PeerSender? kept) || kept != sender)
                {
                    _retired.Add(sender.DisposeAsync().AsTask());
                }
            }

            _peers = peers;
            _senders = senders;
        }
    }

    /// <summary>The ids of the current peers.</summary>
    public IReadOnlyCollection<int> Peers => _peers.Keys;

    private string? Admit(int id, Core.Crypto.Ed25519PublicKey key) =>
        !_peers.TryGetValue(id, out ReplicaMember? member) ? $"replica {id} is not a peer of replica {_me.ReplicaId} (not a member of its view)"
        : member.PublicKey != key ? $"the key {key} is not replica {id}'s key"
        : null;

    /// <summary>The bound replica endpoint.</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>
    /// Authenticated frames from peers, in arrival order per link. The reader must <see cref="Release"/> each frame's
    /// payload bytes once it has taken the frame (handed on, or processed): until then they count against the peer's
    /// inbound budget.
    /// </summary>
    public ChannelReader<(int From, Frame Frame)> Incoming => _incoming.Reader;

    /// <summary>Bytes one peer may have received and not yet released before its receive loop waits (TCP pushes back).</summary>
    public const long DefaultInboundBytesPerPeer = 96L * 1024 * 1024;

    /// <summary>The reader took a frame of <paramref name="bytes"/> from peer <paramref name="from"/>: they leave its inbound budget.</summary>
    public void Release(int from, int bytes)
    {
        if (_inbound.TryGetValue(from, out PeerInboundBudget? budget))
        {
            budget.Release(bytes);
        }
    }

    /// <summary>Bytes received from peers and not yet released by the reader, over all peers.</summary>
    public long InboundQueuedBytes
    {
        get
        {
            long total = 0;
            foreach (PeerInboundBudget budget in _inbound.Values)
            {
                total += budget.Queued;
            }

            return total;
        }
    }

    /// <summary>Peers whose outbound link is up.</summary>
    public int ConnectedPeers => _senders.Values.Count(s => s.Connected);

    /// <summary>Frames dropped because a peer's send queue was full.</summary>
    public long DroppedFrames => _senders.Values.Sum(s => s.Dropped);

    /// <summary>Frames waiting in send queues.</summary>
    public int QueuedFrames => _senders.Values.Sum(s => s.Queued);

    /// <summary>Test-only: every outbound frame passes through it (a Byzantine replica). Null in production.</summary>
    public IOutboundFrameFilter? OutboundFilter { get; init; }

    /// <summary>Queues a frame for one peer; never blocks. A frame over <see cref="LinkOptions.MaxFrameBytes"/> is dropped, counted and logged.</summary>
    public void Send(int peer, FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (OutboundFilter is { } filter)
        {
            filter.OnSend(peer, type, payload, Enqueue);
            return;
        }

        Enqueue(peer, type, payload);
    }

    /// <summary>Queues a frame for every other member.</summary>
    public void Broadcast(FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (OutboundFilter is { } filter)
        {
            foreach (int to in _senders.Keys)
            {
                filter.OnSend(to, type, payload, Enqueue);
            }

            return;
        }

        foreach (PeerSender sender in _senders.Values)
        {
            sender.Enqueue(type, payload);
        }
    }

    private void Enqueue(int to, FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (_senders.TryGetValue(to, out PeerSender? sender))
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

        Task[] retired;
        lock (_gate)
        {
            retired = [.. _retired];
        }

        await Task.WhenAll(retired);

        try
        {
            await Task.WhenAll([_acceptLoop, .. _receivers]);
        }
        catch (OperationCanceledException)
        {
        }

        _incoming.Writer.TryComplete();
        foreach (PeerInboundBudget budget in _inbound.Values)
        {
            budget.Dispose();
        }

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
                    if (!_peers.ContainsKey(link.Peer.ReplicaId))
                    {
                        _log($"closed the link from {link.Peer}: it is no longer a member of this replica's view");
                        break;
                    }

                    // A peer's inbound budget, not the channel's count, bounds what it can make this replica hold.
                    PeerInboundBudget budget = _inbound.GetOrAdd(link.Peer.ReplicaId, static (_, bytes) => new PeerInboundBudget(bytes), _inboundBytesPerPeer);
                    await budget.TakeAsync(frame.Payload.Length, _stop.Token);
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
