using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using SmartChain.Core.Crypto;

namespace SmartChain.Network;

/// <summary>
/// Accepts TCP connections on one endpoint and runs the responder's handshake on each. Authenticated links come out
/// of <see cref="Accepted"/>; refused ones are reported to <c>onRejected</c> with the reason, and the listener keeps
/// serving. Handshakes in progress are bounded in total (<see cref="LinkOptions.MaxHandshakes"/>) and per source
/// address (<see cref="LinkOptions.MaxHandshakesPerSource"/>), and the accept loop never waits for a slot: a new
/// connection above a bound evicts the oldest handshake (of its source, else of all). Connections that hold a slot
/// without finishing therefore cannot lock others out; an honest peer's handshake takes milliseconds, an attacker
/// must keep opening connections faster than that to displace it, and each held slot still ends at
/// <see cref="LinkOptions.HandshakeTimeout"/>.
/// </summary>
public sealed class LinkListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _chainId;
    private readonly LinkCredentials _me;
    private readonly Func<int, Ed25519PublicKey, string?> _authorize;
    private readonly LinkOptions _options;
    private readonly Action<EndPoint?, string> _onRejected;
    private readonly Channel<SecureLink> _accepted = Channel.CreateBounded<SecureLink>(256);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    // Handshakes in progress, oldest first, and their count per source; guarded by the list itself.
    private readonly LinkedList<PendingHandshake> _pending = new();
    private readonly Dictionary<IPAddress, int> _pendingPerSource = [];
    private readonly List<Task> _handshakes = [];
    private long _evicted;

    /// <summary>Binds and starts accepting.</summary>
    public LinkListener(IPEndPoint endpoint, string chainId, LinkCredentials me, Func<int, Ed25519PublicKey, string?> authorize,
        LinkOptions options, Action<EndPoint?, string> onRejected)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        _chainId = chainId;
        _me = me;
        _authorize = authorize;
        _options = options;
        _onRejected = onRejected;
        _socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _socket.Bind(endpoint);
        _socket.Listen(512);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The bound address (useful with port 0).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Authenticated links, in the order their handshakes completed.</summary>
    public ChannelReader<SecureLink> Accepted => _accepted.Reader;

    /// <summary>Handshakes in progress now.</summary>
    public int PendingHandshakes
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Handshakes ended early to make room for newer connections.</summary>
    public long EvictedHandshakes => Interlocked.Read(ref _evicted);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        Task[] handshakes;
        lock (_pending)
        {
            handshakes = [.. _handshakes];
        }

        await Task.WhenAll(handshakes);
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out SecureLink? link))
        {
            await link.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            PendingHandshake pending = Admit(client);
            Task handshake = HandshakeAsync(pending);
            lock (_pending)
            {
                _handshakes.RemoveAll(static t => t.IsCompleted);
                _handshakes.Add(handshake);
            }
        }
    }

    // Registers a new handshake; above a bound, cancels the oldest one of the same source, else the oldest of all.
    private PendingHandshake Admit(Socket client)
    {
        IPAddress source = (client.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        var pending = new PendingHandshake(client, source, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        PendingHandshake? evict = null;
        lock (_pending)
        {
            int fromSource = _pendingPerSource.GetValueOrDefault(source);
            if (fromSource >= _options.MaxHandshakesPerSource)
            {
                for (LinkedListNode<PendingHandshake>? node = _pending.First; node is not null; node = node.Next)
                {
                    if (node.Value.Source.Equals(source))
                    {
                        evict = node.Value;
                        break;
                    }
                }
            }
            else if (_pending.Count >= _options.MaxHandshakes)
            {
                evict = _pending.First?.Value;
            }

            if (evict is not null)
            {
                Remove(evict);
            }

            pending.Node = _pending.AddLast(pending);
            _pendingPerSource[source] = _pendingPerSource.GetValueOrDefault(source) + 1;
        }

        if (evict is not null)
        {
            Interlocked.Increment(ref _evicted);
            evict.Evicted = true;
            try
            {
                evict.Cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished in the meantime.
            }
        }

        return pending;
    }

    // Under the lock; a handshake leaves the books once, whether it finished or was evicted.
    private void Remove(PendingHandshake pending)
    {
        if (pending.Node is null)
        {
            return;
        }

        _pending.Remove(pending.Node);
        pending.Node = null;
        int left = _pendingPerSource[pending.Source] - 1;
        if (left == 0)
        {
            _pendingPerSource.Remove(pending.Source);
        }
        else
        {
            _pendingPerSource[pending.Source] = left;
        }
    }

    private async Task HandshakeAsync(PendingHandshake pending)
    {
        await Task.Yield(); // the accept loop goes on at once
        EndPoint? remote = pending.Socket.RemoteEndPoint;
        try
        {
            SecureLink link = await SecureLink.AcceptAsync(pending.Socket, _chainId, _me, _authorize, _options, pending.Cancel.Token);
            if (!_accepted.Writer.TryWrite(link))
            {
                await link.DisposeAsync();
                _onRejected(remote, "too many links waiting to be taken");
            }
        }
        catch (LinkException e)
        {
            _onRejected(remote, e.Message);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            pending.Socket.Dispose();
            if (pending.Evicted)
            {
                _onRejected(remote, $"handshake evicted unfinished: more than {_options.MaxHandshakesPerSource} from {pending.Source} or {_options.MaxHandshakes} in all");
            }
        }
        finally
        {
            lock (_pending)
            {
                Remove(pending);
            }

            pending.Cancel.Dispose();
        }
    }
}
