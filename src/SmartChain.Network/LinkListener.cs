using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using SmartChain.Core.Crypto;

namespace SmartChain.Network;

/// <summary>
/// Accepts TCP connections on one endpoint and runs the responder's handshake on each (a bounded number at a time).
/// Authenticated links come out of <see cref="Accepted"/>; refused ones are reported to <c>onRejected</c> with
/// the reason, and the listener keeps serving.
/// </summary>
public sealed class LinkListener : IAsyncDisposable
{
    private const int MaxConcurrentHandshakes = 64;
    private readonly Socket _socket;
    private readonly string _chainId;
    private readonly LinkCredentials _me;
    private readonly Func<int, Ed25519PublicKey, string?> _authorize;
    private readonly LinkOptions _options;
    private readonly Action<EndPoint?, string> _onRejected;
    private readonly Channel<SecureLink> _accepted = Channel.CreateBounded<SecureLink>(256);
    private readonly SemaphoreSlim _handshakes = new(MaxConcurrentHandshakes, MaxConcurrentHandshakes);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    /// <summary>Binds and starts accepting.</summary>
    public LinkListener(IPEndPoint endpoint, string chainId, LinkCredentials me, Func<int, Ed25519PublicKey, string?> authorize,
        LinkOptions options, Action<EndPoint?, string> onRejected)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
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

            await _handshakes.WaitAsync(_stop.Token);
            _ = HandshakeAsync(client);
        }
    }

    private async Task HandshakeAsync(Socket client)
    {
        EndPoint? remote = client.RemoteEndPoint;
        try
        {
            SecureLink link = await SecureLink.AcceptAsync(client, _chainId, _me, _authorize, _options, _stop.Token);
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
        catch (OperationCanceledException)
        {
            client.Dispose();
        }
        finally
        {
            _handshakes.Release();
        }
    }
}
