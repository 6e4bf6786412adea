using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SmartChain.Network.Tests;

/// <summary>
/// A man in the middle on 127.0.0.1: forwards server→client bytes as they are, and splits client→server bytes into
/// the protocol's length-prefixed units (0 = hello, 1 = handshake signature, 2… = frames), passing each through
/// <see cref="Rewrite"/>, which returns the raw bytes to forward instead.
/// </summary>
public sealed class UnitProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accept;

    public UnitProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public Func<int, byte[], IEnumerable<byte[]>> Rewrite { get; set; } = (_, unit) => [Prefixed(unit)];

    public static byte[] Prefixed(byte[] unit)
    {
        byte[] bytes = new byte[4 + unit.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)unit.Length);
        unit.CopyTo(bytes, 4);
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await Task.WhenAll([_accept, .. _pumps]);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
        using var server = new TcpClient();
        await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
        NetworkStream fromClient = client.GetStream();
        NetworkStream toServer = server.GetStream();
        Task down = toServer.CopyToAsync(fromClient, _stop.Token);
        Task up = PumpUnitsAsync(fromClient, toServer);
        _pumps.Add(down);
        await Task.WhenAny(up, down);
    }

    private async Task PumpUnitsAsync(Stream from, Stream to)
    {
        byte[] prefix = new byte[4];
        for (int index = 0; ; index++)
        {
            if (!await ReadExactly(from, prefix))
            {
                return;
            }

            byte[] unit = new byte[BinaryPrimitives.ReadUInt32LittleEndian(prefix)];
            if (!await ReadExactly(from, unit))
            {
                return;
            }

            foreach (byte[] raw in Rewrite(index, unit))
            {
                await to.WriteAsync(raw, _stop.Token);
            }

            await to.FlushAsync(_stop.Token);
        }
    }

    private async Task<bool> ReadExactly(Stream from, byte[] buffer)
    {
        try
        {
            await from.ReadExactlyAsync(buffer, _stop.Token);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
