using System.Threading.Channels;

namespace SmartChain.Network;

/// <summary>
/// The outbound side towards one peer: a queue bounded by frames (the oldest frame is dropped when it is full, because
/// the consensus core retransmits what matters) and by bytes (a new frame that does not fit is dropped), and a loop that
/// connects, drains the queue with one flush per burst, and on any failure (a bug included, logged with the peer and the
/// reason) reconnects with exponential backoff and jitter. A peer that stops reading cannot make this replica hold more
/// than the byte bound for it: a burst that makes no progress within <see cref="SendDeadline"/> closes the link.
/// </summary>
internal sealed class PeerSender : IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly Channel<(FrameType Type, ReadOnlyMemory<byte> Payload)> _queue;
    private readonly Func<CancellationToken, Task<SecureLink>> _connect;
    private readonly Action<string> _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _dropped;
    private long _queuedBytes;
    private readonly long _maxQueuedBytes;
    private readonly int _maxFrameBytes;

    // True while this thread is inside Enqueue: the drain then runs inline on a queuing thread (see InlineSealBytes).
    [ThreadStatic]
    private static bool t_queuing;

    /// <summary>How long one burst of sends and its flush may take before the link counts as stalled and is closed.</summary>
    public static readonly TimeSpan SendDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Bytes queued towards one peer at most, by default.</summary>
    public const long DefaultMaxQueuedBytes = 128L * 1024 * 1024;

    /// <summary>
    /// Bytes a queuing thread seals inline in one burst, its own frame included, before it hands the rest of the queue
    /// to the pool; its own frame (the first) is sealed whatever its size.
    /// A thread that wakes an idle sender seals and flushes its own frame at once (a vote leaves without a pool hand-off,
    /// the latency this inline path exists for), but frames other threads queue meanwhile are not its work: without a
    /// cap the consensus thread would seal and copy a 2 MiB block answer or a 1 MiB snapshot chunk that the ledger loop
    /// or the pool queued, and every vote behind it would wait. 64 KiB holds hundreds of votes and block signatures
    /// (100-200 bytes each), so small frames queued together still leave in the same flush, and caps what any thread
    /// pays for others at about 50 µs of sealing. A caller's own large frame (a PROPOSE with a full batch) is still
    /// sealed by the caller, as it was: that cost is its own.
    /// </summary>
    internal const int InlineSealBytes = 64 * 1024;

    /// <summary>
    /// A sender towards <paramref name="peerId"/>; <paramref name="maxFrameBytes"/> is the largest payload its links
    /// send (<see cref="LinkOptions.MaxFrameBytes"/>, the default's when null): a larger frame is dropped at
    /// <see cref="Enqueue"/> with a log line, never handed to the link, whose refusal would end this sender.
    /// </summary>
    public PeerSender(int peerId, int capacity, Func<CancellationToken, Task<SecureLink>> connect, Action<string> log,
        long maxQueuedBytes = DefaultMaxQueuedBytes, int? maxFrameBytes = null)
    {
        PeerId = peerId;
        _connect = connect;
        _log = log;
        _maxQueuedBytes = maxQueuedBytes;
        _maxFrameBytes = maxFrameBytes ?? LinkOptions.Default.MaxFrameBytes;
        // Synchronous continuations, and no context captured by the loop's awaits: a frame queued while the sender waits
        // for work is sealed and written by the queuing thread (the consensus thread, the ledger loop) at once, instead
        // of by a thread-pool work item woken for it (docs/performance.md, "The cost of an instance"), with at most
        // InlineSealBytes of what other threads queue meanwhile. A write that
        // cannot complete at once (the peer does not read) goes on from a pool thread, and the queuing thread returns.
        _queue = Channel.CreateBounded<(FrameType, ReadOnlyMemory<byte>)>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, AllowSynchronousContinuations = true },
            dropped =>
            {
                Interlocked.Add(ref _queuedBytes, -dropped.Item2.Length);
                Interlocked.Increment(ref _dropped);
            });
        _loop = RunAsync();
    }

    public int PeerId { get; }

    public bool Connected { get; private set; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public int Queued => _queue.Reader.Count;

    /// <summary>Bytes queued now.</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Tests only: runs on the thread that seals each frame, just before it is sealed (type, payload bytes).</summary>
    internal Action<FrameType, int>? SealingForTests { get; set; }

    /// <summary>
    /// Queues a frame; never blocks. A frame over the frame limit is dropped, counted and logged here: the link would
    /// refuse it (<see cref="SecureLink.SendAsync(FrameType, ReadOnlyMemory{byte}, bool, CancellationToken)"/> throws),
    /// and that refusal inside the sending loop would end it, leaving the peer silent. Dropped, not thrown: callers are
    /// loops whose failure stops the replica, and a lost frame is what the protocol already recovers from.
    /// </summary>
    public void Enqueue(FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > _maxFrameBytes)
        {
            Interlocked.Increment(ref _dropped);
            _log($"dropped a {type} frame of {payload.Length} bytes for replica {PeerId}: it exceeds the frame limit of {_maxFrameBytes} bytes");
            return;
        }

        long queued = Interlocked.Add(ref _queuedBytes, payload.Length);
        if (queued > _maxQueuedBytes && queued != payload.Length) // one frame always fits
        {
            Interlocked.Add(ref _queuedBytes, -payload.Length);
            Interlocked.Increment(ref _dropped);
            return;
        }

        // The write may run the sending loop right here (synchronous continuations). Without the caller's context, so a
        // send that has to wait resumes on the pool, never through the consensus thread's queue.
        SynchronizationContext? context = SynchronizationContext.Current;
        if (context is not null)
        {
            SynchronizationContext.SetSynchronizationContext(null);
        }

        bool queuing = t_queuing;
        t_queuing = true;
        try
        {
            if (!_queue.Writer.TryWrite((type, payload)))
            {
                Interlocked.Add(ref _queuedBytes, -payload.Length); // closed
            }
        }
        finally
        {
            t_queuing = queuing;
            if (context is not null)
            {
                SynchronizationContext.SetSynchronizationContext(context);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        TimeSpan backoff = MinBackoff;
        CancellationToken ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            SecureLink? link = null;
            try
            {
                link = await _connect(ct).ConfigureAwait(false);
                Connected = true;
                backoff = MinBackoff;
                await DrainAsync(link, ct).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is LinkException or IOException or System.Net.Sockets.SocketException)
            {
                _log($"link to replica {PeerId}: {e.Message}; retrying in {backoff.TotalMilliseconds:0} ms");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Anything else is a bug in connecting or sealing, not the peer's doing. Ending here left the peer silent,
                // with nothing said until dispose rethrew it. This sender's state stays sound whatever failed: the link is
                // discarded below, the frame being sent is lost (as on a dropped link, which the protocol recovers from),
                // and the queue and its byte count are intact. So say why, and reconnect like after any failed link.
                _log($"link to replica {PeerId} failed unexpectedly ({e.GetType().Name}: {e.Message}); reconnecting in {backoff.TotalMilliseconds:0} ms");
            }
            finally
            {
                Connected = false;
                if (link is not null)
                {
                    await link.DisposeAsync().ConfigureAwait(false);
                }
            }

            await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(backoff.TotalMilliseconds / 2) + 1)), ct).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task DrainAsync(SecureLink link, CancellationToken ct)
    {
        ChannelReader<(FrameType Type, ReadOnlyMemory<byte> Payload)> reader = _queue.Reader;
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(SendDeadline);
            try
            {
                // On a queuing thread (the burst began inline in its Enqueue), its own frame comes first and is always
                // sealed; others' frames only while the burst stays within InlineSealBytes, then what it sealed is
                // flushed and the rest goes on from the pool. Off a queuing thread (the pool, a socket completion) there
                // is no cap.
                long sealedInline = 0;
                int framesInline = 0;
                while (reader.TryRead(out var item))
                {
                    Interlocked.Add(ref _queuedBytes, -item.Payload.Length);
                    if (t_queuing && framesInline > 0 && sealedInline + item.Payload.Length > InlineSealBytes)
                    {
                        await link.FlushAsync(deadline.Token).ConfigureAwait(false);
                        if (t_queuing) // the flush did not already move the loop off the queuing thread
                        {
                            await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
                        }
                    }

                    SealingForTests?.Invoke(item.Type, item.Payload.Length);
                    await link.SendAsync(item.Type, item.Payload, flush: false, deadline.Token).ConfigureAwait(false);
                    sealedInline += item.Payload.Length;
                    framesInline++;
                }

                await link.FlushAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new LinkException($"sending to replica {PeerId} made no progress for {SendDeadline.TotalSeconds:0} s; the link is closed");
            }
        }
    }
}
