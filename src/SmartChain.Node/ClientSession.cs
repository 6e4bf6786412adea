using System.Threading.Channels;
using SmartChain.Network;

namespace SmartChain.Node;

/// <summary>
/// The sending side of one client link: a bounded queue (oldest reply dropped when full) drained by its own task, so
/// a client that stops reading can never stall execution or other clients.
/// </summary>
internal sealed class ClientSession : IAsyncDisposable
{
    private const int QueueCapacity = 4096;
    private readonly Channel<(FrameType Type, byte[] Payload)> _queue =
        Channel.CreateBounded<(FrameType, byte[])>(new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Task _sender;

    public ClientSession(SecureLink link, CancellationToken stop)
    {
        Link = link;
        _sender = SendLoopAsync(stop);
    }

    public SecureLink Link { get; }

    public void Enqueue(FrameType type, byte[] payload) => _queue.Writer.TryWrite((type, payload));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _sender;
        }
        catch (OperationCanceledException)
        {
        }

        await Link.DisposeAsync();
    }

    private async Task SendLoopAsync(CancellationToken stop)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stop))
            {
                while (_queue.Reader.TryRead(out var item))
                {
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
