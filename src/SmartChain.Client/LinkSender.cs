using System.Threading.Channels;
using SmartChain.Network;

namespace SmartChain.Client;

/// <summary>
/// One send loop per replica link: frames from every caller queue here and leave with one flush per burst, so many
/// outstanding requests cost one system call per replica, not one per request. A link that fails drops what it
/// holds: a replica that is down is one of the f the quorum tolerates.
/// </summary>
internal sealed class LinkSender : IAsyncDisposable
{
    private readonly SecureLink _link;
    private readonly Channel<(FrameType Type, ReadOnlyMemory<byte> Payload)> _queue =
        Channel.CreateUnbounded<(FrameType, ReadOnlyMemory<byte>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public LinkSender(SecureLink link, CancellationToken stop)
    {
        _link = link;
        _loop = SendLoopAsync(stop);
    }

    public void Enqueue(FrameType type, ReadOnlyMemory<byte> payload) => _queue.Writer.TryWrite((type, payload));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task SendLoopAsync(CancellationToken stop)
    {
        try
        {
            ChannelReader<(FrameType Type, ReadOnlyMemory<byte> Payload)> reader = _queue.Reader;
            while (await reader.WaitToReadAsync(stop))
            {
                while (reader.TryRead(out var frame))
                {
                    await _link.SendAsync(frame.Type, frame.Payload, flush: false, stop);
                }

                await _link.FlushAsync(stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or LinkException or ObjectDisposedException or InvalidOperationException)
        {
            _queue.Writer.TryComplete();
        }
    }
}
