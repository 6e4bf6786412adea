using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;

namespace SmartChain.Api.Endpoints;

/// <summary>
/// A share of Kestrel's connections per source, taken when a connection is accepted: the rate limiter counts requests,
/// so without it one address could open every one of the 1,024 connections (idle, or one request each) and hold them.
/// A connection over the share is answered 429 problem+json at once and closed.
/// </summary>
internal static class ConnectionShare
{
    /// <summary>Runs <paramref name="next"/> for a connection within its source's share; refuses it otherwise.</summary>
    public static async Task RunAsync(ConnectionContext connection, ConnectionDelegate next, SourceCounter held, int perSource)
    {
        IPAddress source = SourceCounter.SourceOf((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (!held.TryEnter(source))
        {
            await RefuseAsync(connection, $"more than {perSource} connections from {source} at once; close one, or retry later");
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            held.Leave(source);
        }
    }

    // The answer is written before any request is read: HTTP/1.1 lets a server answer and close first.
    private static async Task RefuseAsync(ConnectionContext connection, string detail)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("title", "Busy");
            json.WriteNumber("status", 429);
            json.WriteString("detail", detail);
            json.WriteEndObject();
        }

        string head = $"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/problem+json\r\nContent-Length: {body.WrittenCount}\r\n" +
                      "Retry-After: 1\r\nConnection: close\r\n\r\n";
        try
        {
            await connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(head));
            await connection.Transport.Output.WriteAsync(body.WrittenMemory);
            await connection.Transport.Output.CompleteAsync();
        }
        catch (Exception e) when (e is IOException or ConnectionResetException or ObjectDisposedException or InvalidOperationException)
        {
            // The client went away first: nothing to answer.
        }
    }
}
