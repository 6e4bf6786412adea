using System.Threading.Channels;

namespace SmartChain.Node;

/// <summary>
/// Verified client requests on their way to the consensus loop, bounded by count and by bytes. It is separate from
/// the loop's main input channel (peer messages, ticks, state transfer), which the loop always serves first; client
/// requests are taken in bounded turns after it, so a client flood cannot delay votes or timeouts.
/// </summary>
internal sealed class ClientInputQueue
{
    private readonly Channel<NodeInput.ClientRequest> _queue;
    private readonly long _maxBytes;
    private long _bytes;

    public ClientInputQueue(int maxCount, long maxBytes)
    {
        _queue = Channel.CreateBounded<NodeInput.ClientRequest>(new BoundedChannelOptions(maxCount) { SingleReader = true });
        _maxBytes = maxBytes;
    }

    public int Count => _queue.Reader.Count;

    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Queues a request, or says why not (the client is told "busy" and may retry).</summary>
    public string? TryEnqueue(NodeInput.ClientRequest request)
    {
        int size = request.Request.Size;
        if (Interlocked.Add(ref _bytes, size) > _maxBytes)
        {
            Interlocked.Add(ref _bytes, -size);
            return $"busy: {_maxBytes} bytes of requests are waiting to be ordered; retry later";
        }

        if (!_queue.Writer.TryWrite(request))
        {
            Interlocked.Add(ref _bytes, -size);
            return "busy: the replica's request queue is full; retry later";
        }

        return null;
    }

    public bool TryDequeue(out NodeInput.ClientRequest request)
    {
        if (_queue.Reader.TryRead(out NodeInput.ClientRequest? next))
        {
            Interlocked.Add(ref _bytes, -next.Request.Size);
            request = next;
            return true;
        }

        request = null!;
        return false;
    }
}
