using System.Net;

namespace SmartChain.Node;

/// <summary>
/// One open client session's place in the <see cref="ClientSessionLimiter"/>: its source group, when it was last
/// active, and the token that ends it if a newcomer evicts it. The session disposes it once its loop has ended.
/// </summary>
internal sealed class ClientSessionTicket : IDisposable
{
    private readonly ClientSessionLimiter _limiter;
    private readonly CancellationTokenSource _session;
    private readonly Lock _gate = new();
    private bool _disposed;
    private long _lastActive;

    internal ClientSessionTicket(ClientSessionLimiter limiter, IPAddress source, long now, CancellationToken stop)
    {
        _limiter = limiter;
        Source = source;
        _lastActive = now;
        _session = CancellationTokenSource.CreateLinkedTokenSource(stop);
    }

    /// <summary>The source group the session counts against (an IPv4 address, or an IPv6 /64 prefix).</summary>
    public IPAddress Source { get; }

    /// <summary>Cancelled when the replica stops or a newcomer evicts this session: the session's loop ends on it.</summary>
    public CancellationToken Token => _session.Token;

    /// <summary>Set once this session was evicted (it no longer counts against its source).</summary>
    public bool Evicted { get; internal set; }

    /// <summary>The limiter's activity clock when the session last received a frame (smaller: idle longer).</summary>
    internal long LastActive => Volatile.Read(ref _lastActive);

    /// <summary>The session received a frame: it is not idle. Called by the session's receive loop.</summary>
    public void Touch() => Volatile.Write(ref _lastActive, _limiter.Tick());

    /// <summary>Ends the session (its receive loop sees <see cref="Token"/> cancelled); nothing once it is disposed.</summary>
    internal void End()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _session.Cancel();
            }
        }
    }

    /// <summary>Releases the token; the session's loop has ended.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _session.Dispose();
    }
}
