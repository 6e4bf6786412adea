using System.Net;
using System.Threading.Channels;
using SmartChain.Network;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// One end of an in-memory client link: frames go through the <see cref="SimNetwork"/> (delay, loss of the whole link
/// on a partition) to the other end; <see cref="Peer"/> is what the handshake would have proven.
/// </summary>
internal sealed class SimFrameLink(SimNetwork network, int self, int other, PeerIdentity peer, EndPoint remote) : IFrameLink
{
    private readonly Channel<Frame> _inbox = Channel.CreateUnbounded<Frame>(new UnboundedChannelOptions { SingleReader = true });
    private bool _closed;

    /// <summary>The other end.</summary>
    public SimFrameLink? Other { get; set; }

    /// <summary>Called for each frame this end sends (the run's reply oracle listens on the replicas' ends).</summary>
    public Action<FrameType, ReadOnlyMemory<byte>>? OnSend { get; init; }

    public PeerIdentity Peer { get; } = peer;

    public EndPoint? RemoteEndPoint { get; } = remote;

    public bool Closed => _closed;

    public ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> payload, bool flush, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            throw new IOException("the simulated link is closed");
        }

        OnSend?.Invoke(type, payload);
        SimFrameLink? to = Other;
        network.Send(self, other, type, payload, bytes => to?.Deliver(new Frame(type, self, bytes)));
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (await _inbox.Reader.WaitToReadAsync(cancellationToken))
        {
            if (_inbox.Reader.TryRead(out Frame frame))
            {
                return frame;
            }
        }

        return null;
    }

    /// <summary>Closes both ends at once (a crash, or either side disposing).</summary>
    public void Close()
    {
        _closed = true;
        _inbox.Writer.TryComplete();
        if (Other is { _closed: false } other)
        {
            other.Close();
        }
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private void Deliver(Frame frame)
    {
        if (!_closed)
        {
            _inbox.Writer.TryWrite(frame);
        }
    }
}
