using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace SmartChain.Api.Tests;

/// <summary>
/// Kestrel takes 1,024 connections in all and the rate limiter counts requests, not connections: before a share per
/// source, one address that opened 1,024 connections and sent nothing (or one request each, then idled) held every place,
/// and the API answered nobody else (second reader of issue 14).
/// </summary>
[Collection(ApiNetworkGroup.Name)]
public sealed class ConnectionShareTests(ApiFixture fixture)
{
    private static readonly int Share = ApiServerOptions.Default.ConnectionsPerSource;

    [Fact]
    public async Task One_source_holds_at_most_its_share_of_the_connections_and_the_next_is_answered_429()
    {
        await using ApiServer server = await ApiServer.StartAsync(fixture.Node,
            ApiServerOptions.Default with { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, NullLoggerFactory.Instance);
        var held = new List<TcpClient>();
        try
        {
            // Each held connection is served once, so all of them are counted before the next one arrives.
            for (int i = 0; i < Share; i++)
            {
                TcpClient connection = await ConnectAsync(server);
                held.Add(connection);
                Assert.Equal("HTTP/1.1 200 OK", await AskAsync(connection));
            }

            using TcpClient over = await ConnectAsync(server);
            string answer = await ReadAllAsync(over);
            Assert.StartsWith("HTTP/1.1 429", answer, StringComparison.Ordinal);
            Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
            Assert.Contains("connections from 127.0.0.1", answer, StringComparison.Ordinal);

            // A closed connection gives its place back once the server sees it end: awaited, then the next one is served.
            var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.Connections.Released += _ => released.TrySetResult();
            held[0].Dispose();
            held.RemoveAt(0);
            await released.Task.WaitAsync(TimeSpan.FromSeconds(20));
            TcpClient again = await ConnectAsync(server);
            held.Add(again);
            string status = await AskAsync(again);
            Assert.Equal("HTTP/1.1 200 OK", status);
        }
        finally
        {
            foreach (TcpClient connection in held)
            {
                connection.Dispose();
            }
        }
    }

    private static async Task<TcpClient> ConnectAsync(ApiServer server)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Address.Port);
        client.ReceiveTimeout = 5000;
        return client;
    }

    // Sends GET /healthz and returns the status line (the rest of the answer stays unread on the kept-alive connection).
    private static async Task<string> AskAsync(TcpClient connection)
    {
        NetworkStream stream = connection.GetStream();
        try
        {
            await stream.WriteAsync("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"u8.ToArray());
            var line = new StringBuilder();
            byte[] one = new byte[1];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            while (await stream.ReadAsync(one, timeout.Token) == 1 && one[0] != (byte)'\n')
            {
                line.Append((char)one[0]);
            }

            return line.ToString().TrimEnd('\r');
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            return $"no answer: {e.Message}";
        }
    }

    // What the server sends on a connection the client has not used, until it closes it (or 5 s pass: nothing).
    private static async Task<string> ReadAllAsync(TcpClient connection)
    {
        NetworkStream stream = connection.GetStream();
        var text = new StringBuilder();
        byte[] buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            text.Append($"[{e.GetType().Name}: the connection was taken and left waiting]");
        }

        return text.ToString();
    }
}
