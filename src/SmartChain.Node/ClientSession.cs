using System.Collections.Concurrent;
using System.Threading.Channels;
using SmartChain.Core.Crypto;
using SmartChain.Network;

namespace SmartChain.Node;

/// <summary>
/// The sending side of one client link: a queue bounded by count (oldest reply dropped when full) and by bytes, its own
/// (<see cref="ClientBudget.MaxSessionQueueBytes"/>) and those all sessions share (<see cref="ClientBudget.MaxQueuedReplyBytes"/>,
/// of which a session within its fair share always gets its part): a new reply that does not fit is dropped. It is drained by its own task, so a client that stops reading can never
/// stall execution or other clients, and all clients together never make the replica hold more than the shared bound. It also knows which requests of this link wait for a reply, so they are forgotten when the link closes.
/// </summary>
internal sealed class ClientSession : IAsyncDisposable
{
    private const int QueueCapacity = 4096;
    private readonly Channel<(FrameType Type, byte[] Payload)> _queue;
    private readonly int _maxQueuedBytes;
    private readonly ByteBudget _shared;
    private readonly Task _sender;
    private long _queuedBytes;
    private long _dropped;
    private volatile bool _closed;

    public ClientSession(IFrameLink link, int maxQueuedBytes, ByteBudget shared, TimeProvider time, CancellationToken stop)
    {
        _time = time;
        _queryRefilledAt = time.GetTimestamp();
        Link = link;
        _maxQueuedBytes = maxQueuedBytes;
        _shared = shared;
        _shared.Join();
        _queue = Channel.CreateBounded<(FrameType, byte[])>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                Interlocked.Add(ref _queuedBytes, -dropped.Item2.Length);
                _shared.Give(dropped.Item2.Length);
                Interlocked.Increment(ref _dropped);
            });
        _sender = SendLoopAsync(stop);
    }

    public IFrameLink Link { get; }

    /// <summary>Requests of this link the replica will answer once executed, with when they were tracked (timestamps of the replica's clock).</summary>
    public ConcurrentDictionary<Hash256, long> Pending { get; } = new();

    /// <summary>Set once the link is closed: nothing more is tracked for it.</summary>
    public bool Closed => _closed;

    /// <summary>Replies dropped because the client did not read them fast enough.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queries a session may send per second (and in one burst); more are refused until the bucket refills.</summary>
    public const int QueriesPerSecond = 1000;

    private double _queryTokens = QueriesPerSecond;
    private readonly TimeProvider _time;
    private long _queryRefilledAt;

    /// <summary>
    /// Takes one query from this session's token bucket; false if it is empty. A page answer is about 600 times the size
    /// of its query, so queries are rated per session. Called only by the session's receive loop.
    /// </summary>
    public bool TryTakeQuery()
    {
        long now = _time.GetTimestamp();
        _queryTokens = Math.Min(QueriesPerSecond, _queryTokens + (_time.GetElapsedTime(_queryRefilledAt, now).TotalSeconds * QueriesPerSecond));
        _queryRefilledAt = now;
        if (_queryTokens < 1)
        {
            return false;
        }

        _queryTokens--;
        return true;
    }

    public void Enqueue(FrameType type, byte[] payload)
    {
        long queued = Interlocked.Add(ref _queuedBytes, payload.Length);
        if ((queued > _maxQueuedBytes && queued != payload.Length) // one reply always fits, however large (at most ~330 KiB)
            || !_shared.TryTake(payload.Length, queued))
        {
            Interlocked.Add(ref _queuedBytes, -payload.Length);
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (!_queue.Writer.TryWrite((type, payload)))
        {
            Interlocked.Add(ref _queuedBytes, -payload.Length); // closed
            _shared.Give(payload.Length);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _queue.Writer.TryComplete();
        try
        {
            await _sender;
        }
        catch (OperationCanceledException)
        {
        }

        await Link.DisposeAsync();
        while (_queue.Reader.TryRead(out var left)) // never sent: their bytes go back to the shared budget
        {
            Interlocked.Add(ref _queuedBytes, -left.Payload.Length);
            _shared.Give(left.Payload.Length);
        }

        _shared.Leave();
    }

    private async Task SendLoopAsync(CancellationToken stop)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop))
            {
                while (_queue.Reader.TryRead(out var item))
                {
                    Interlocked.Add(ref _queuedBytes, -item.Payload.Length);
                    _shared.Give(item.Payload.Length);
                    await Link.SendAsync(item.Type, item.Payload, flush: false, stop);
                }

                await Link.FlushAsync(stop);
            }
        }
        catch (Exception e) when (e is IOException or LinkException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away; its receive loop ends the session.
        }
    }
}
