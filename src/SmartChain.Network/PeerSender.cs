using System.Threading.Channels;

namespace SmartChain.Network;

/// <summary>
/// The outbound side towards one peer: a bounded queue (the oldest frame is dropped when it is full, because the
/// consensus core retransmits what matters) and a loop that connects, drains the queue with one flush per burst,
/// and on any failure reconnects with exponential backoff and jitter.
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

    public PeerSender(int peerId, int capacity, Func<CancellationToken, Task<SecureLink>> connect, Action<string> log)
    {
        PeerId = peerId;
        _connect = connect;
        _log = log;
        _queue = Channel.CreateBounded<(FrameType, ReadOnlyMemory<byte>)>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _loop = RunAsync();
    }

    public int PeerId { get; }

    public bool Connected { get; private set; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public int Queued => _queue.Reader.Count;

    public void Enqueue(FrameType type, ReadOnlyMemory<byte> payload) => _queue.Writer.TryWrite((type, payload));

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
                link = await _connect(ct);
                Connected = true;
                backoff = MinBackoff;
                await DrainAsync(link, ct);
                return;
            }
            catch (Exception e) when (e is LinkException or IOException or System.Net.Sockets.SocketException)
            {
                _log($"link to replica {PeerId}: {e.Message}; retrying in {backoff.TotalMilliseconds:0} ms");
            }
            finally
            {
                Connected = false;
                if (link is not null)
                {
                    await link.DisposeAsync();
                }
            }

            await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)(backoff.TotalMilliseconds / 2) + 1)), ct);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task DrainAsync(SecureLink link, CancellationToken ct)
    {
        ChannelReader<(FrameType Type, ReadOnlyMemory<byte> Payload)> reader = _queue.Reader;
        while (await reader.WaitToReadAsync(ct))
        {
            while (reader.TryRead(out var item))
            {
                await link.SendAsync(item.Type, item.Payload, flush: false, ct);
            }

            await link.FlushAsync(ct);
        }
    }
}
