using System.Collections.Concurrent;
using System.Threading.Channels;
using SmartChain.Core.Crypto;
using SmartChain.Network;

namespace SmartChain.Node;

/// <summary>
/// The sending side of one client link: a queue bounded by count (oldest reply dropped when full) and by bytes, its own
/// (<see cref="ClientBudget.MaxSessionQueueBytes"/>) and those all sessions share (<see cref="ClientBudget.MaxQueuedReplyBytes"/>,
/// of which a session within its fair share always gets its part): a new reply that does not fit is dropped. The thread
/// that queues a reply sends what is queued itself while the link takes frames without waiting (the socket's buffer has
/// room: the common case), so a reply costs no hand-off to a send task; the first send or flush that must wait goes on
/// as a continuation on the thread pool and the caller returns, so a client that stops reading can never stall
/// execution or other clients, and all clients together never make the replica hold more than the shared bound. One
/// sender at a time drains the queue, so replies leave in the order they were queued. It also knows which requests of
/// this link wait for a reply, so they are forgotten when the link closes.
/// </summary>
internal sealed class ClientSession : IAsyncDisposable
{
    private const int QueueCapacity = 4096;
    private readonly Channel<(FrameType Type, byte[] Payload)> _queue;
    private readonly int _maxQueuedBytes;
    private readonly ByteBudget _shared;
    private readonly CancellationToken _stop;
    private int _sending; // 1 while one thread (a caller of Enqueue, or the continuation of a send that waited) drains the queue
    private Task _waiting = Task.CompletedTask; // the drain that continues after a send had to wait, while it holds _sending
    private bool _unflushed; // by the holder of _sending: frames were written since the last flush
    private volatile bool _failed; // the link failed: nothing more is sent, the receive loop ends the session
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
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest },
            dropped =>
            {
                Interlocked.Add(ref _queuedBytes, -dropped.Item2.Length);
                _shared.Give(dropped.Item2.Length);
                Interlocked.Increment(ref _dropped);
            });
        _stop = stop;
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

    /// <summary>Queues a reply and sends what is queued (<see cref="Send"/>).</summary>
    public void Enqueue(FrameType type, byte[] payload) => Enqueue(type, payload, send: true);

    /// <summary>
    /// Queues a reply within the session's bounds; with <paramref name="send"/> false it waits for <see cref="Send"/> (or
    /// any later send), so a caller with several replies for this client sends them together. False if it was dropped.
    /// </summary>
    public bool Enqueue(FrameType type, byte[] payload, bool send)
    {
        long queued = Interlocked.Add(ref _queuedBytes, payload.Length);
        if ((queued > _maxQueuedBytes && queued != payload.Length) // one reply always fits, however large (at most ~330 KiB)
            || !_shared.TryTake(payload.Length, queued))
        {
            Interlocked.Add(ref _queuedBytes, -payload.Length);
            Interlocked.Increment(ref _dropped);
            return false;
        }

        if (!_queue.Writer.TryWrite((type, payload)))
        {
            Interlocked.Add(ref _queuedBytes, -payload.Length); // closed
            _shared.Give(payload.Length);
            return false;
        }

        if (send)
        {
            TrySend();
        }

        return true;
    }

    /// <summary>Sends what is queued, on this thread while the link takes it at once (see the class summary).</summary>
    public void Send() => TrySend();

    /// <summary>
    /// Sends the session's queued replies on the calling thread unless another thread is sending them already (that one
    /// sees this reply too, as it checks the queue again after it lets go). A send or flush that cannot complete at once
    /// is left to a continuation, which holds the sender's place until the queue is empty.
    /// </summary>
    private void TrySend()
    {
        while (!_failed && _queue.Reader.Count > 0 && Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            ValueTask? waiting;
            try
            {
                waiting = SendQueued();
            }
            catch (Exception e) when (e is not OutOfMemoryException) // whatever a send throws ends this session's sending, never the caller's loop
            {
                Fail();
                return;
            }

            if (waiting is { } operation)
            {
                _waiting = ContinueAsync(operation);
                return;
            }

            Interlocked.Exchange(ref _sending, 0); // a full fence: the queue is checked again after it
        }
    }

    // The holder of _sending: writes every queued reply, then flushes once; null when all of it completed at once, else
    // the first operation that has to wait (the rest stays queued, in order).
    private ValueTask? SendQueued()
    {
        while (_queue.Reader.TryRead(out var item))
        {
            Interlocked.Add(ref _queuedBytes, -item.Payload.Length);
            _shared.Give(item.Payload.Length);
            ValueTask send = Link.SendAsync(item.Type, item.Payload, flush: false, _stop);
            _unflushed = true;
            if (!send.IsCompletedSuccessfully)
            {
                return send;
            }

            send.GetAwaiter().GetResult();
        }

        if (!_unflushed)
        {
            return null;
        }

        _unflushed = false; // the flush covers every frame written so far
        ValueTask flush = Link.FlushAsync(_stop);
        if (!flush.IsCompletedSuccessfully)
        {
            return flush;
        }

        flush.GetAwaiter().GetResult();
        return null;
    }

    private async Task ContinueAsync(ValueTask waiting)
    {
        try
        {
            await waiting; // pending: the caller (execution, a session's receive loop) returns here and goes on

            while (SendQueued() is { } next)
            {
                await next;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException) // as in TrySend: nobody observes this task's failure
        {
            Fail();
            return;
        }

        Interlocked.Exchange(ref _sending, 0); // a full fence: the queue is checked again after it
        TrySend(); // replies queued while this one held the place, and found it taken
    }

    // The client went away (or the replica stops); its receive loop ends the session, whose disposal returns what is queued.
    private void Fail()
    {
        _failed = true;
        Interlocked.Exchange(ref _sending, 0); // DisposeAsync takes the place next
    }

    private static bool IsLinkGone(Exception e) => e is IOException or LinkException or ObjectDisposedException or InvalidOperationException;

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _queue.Writer.TryComplete();

        // Take the sender's place for good, once the current sender lets go (a continuation ends when its flush does,
        // as the send loop's last flush did before), and send what is still queued before the link closes.
        while (Interlocked.CompareExchange(ref _sending, 1, 0) != 0)
        {
            try
            {
                await Volatile.Read(ref _waiting);
            }
            catch (Exception e) when (IsLinkGone(e) || e is OperationCanceledException)
            {
            }

            await Task.Yield(); // a caller draining on its own thread lets go within its synchronous sends
        }

        try
        {
            while (!_failed && SendQueued() is { } next)
            {
                await next;
            }
        }
        catch (Exception e) when (IsLinkGone(e) || e is OperationCanceledException)
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
}
