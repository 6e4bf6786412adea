using System.Buffers.Binary;
using System.Net.Sockets;

namespace SmartChain.Network.Tests;

/// <summary>The budgets of a link's input path: handshake slots, idle time, the time to finish a frame, the frame size.</summary>
public class LinkBudgetTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(LinkFixture.Wait).Token;

    [Fact]
    public async Task Hundreds_of_idle_half_open_connections_do_not_lock_a_replica_out_of_the_replica_port()
    {
        await using var f = new LinkFixture();
        var idle = new List<Socket>();
        try
        {
            // More silent connections than handshake slots (64) and per-source slots (8), all from 127.0.0.1 like the replica.
            for (int i = 0; i < 300; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", f.Port);
                idle.Add(socket);
            }

            // Well inside the 10 s handshake timeout: a replica must not wait for the silent ones to time out.
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var started = System.Diagnostics.Stopwatch.StartNew();
            SecureLink client = await SecureLink.ConnectAsync("127.0.0.1", f.Port, LinkFixture.Chain, new LinkCredentials(2, f.Keys[2]), f.Replica(0),
                f.Options, quick.Token);
            SecureLink server = await f.Listener.Accepted.ReadAsync(quick.Token);
            await using (client)
            await using (server)
            {
                Assert.Equal(f.Replica(2), server.Peer);
                Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"took {started.Elapsed}");
            }
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Handshakes_in_progress_stay_within_the_per_source_bound_and_evictions_are_reported()
    {
        await using var f = new LinkFixture(new LinkOptions { MaxHandshakes = 16, MaxHandshakesPerSource = 4 });
        var idle = new List<Socket>();
        try
        {
            for (int i = 0; i < 20; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync("127.0.0.1", f.Port);
                idle.Add(socket);
            }

            string rejection = await f.NextRejectionAsync();
            Assert.Contains("handshake evicted unfinished", rejection, StringComparison.Ordinal);
            while (f.Listener.EvictedHandshakes < 16)
            {
                Assert.Contains("evicted", await f.NextRejectionAsync(), StringComparison.Ordinal);
            }

            Assert.True(f.Listener.PendingHandshakes <= 4, $"{f.Listener.PendingHandshakes} handshakes pending");
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task An_idle_link_is_closed_after_its_idle_timeout()
    {
        await using var f = new LinkFixture(new LinkOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 1);
        await using (client)
        await using (server)
        {
            await client.SendAsync(FrameType.Consensus, new byte[10], Timeout());
            Assert.NotNull(await server.ReceiveAsync(Timeout())); // a frame that comes in time is taken
            var started = System.Diagnostics.Stopwatch.StartNew();
            LinkException e = await Assert.ThrowsAsync<LinkException>(async () => await server.ReceiveAsync(Timeout()));
            Assert.Contains("idle for 0.2 s", e.Message, StringComparison.Ordinal);
            Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task A_frame_trickled_byte_by_byte_is_cut_off_at_its_frame_budget()
    {
        await using var f = new LinkFixture(new LinkOptions { FrameTimeout = TimeSpan.FromMilliseconds(300) });
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 1);
        await using (client)
        await using (server)
        {
            Task<Frame?> receive = server.ReceiveAsync(Timeout()).AsTask();
            byte[] prefix = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(prefix, 1000);
            await client.SendRawAsync(prefix, Timeout());
            for (int i = 0; i < 100 && !receive.IsCompleted; i++)
            {
                await client.SendRawAsync(new byte[] { 7 }, Timeout()); // slowloris: one byte every 20 ms, never the whole frame in time
                await Task.WhenAny(receive, Task.Delay(20));
            }

            LinkException e = await Assert.ThrowsAsync<LinkException>(() => receive);
            Assert.Contains("did not arrive within 0.3 s of its first byte", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_client_port_refuses_a_frame_larger_than_a_request_from_its_length_alone()
    {
        await using var f = new LinkFixture(LinkOptions.ClientPort, clientPort: true);
        using var wallet = Core.Crypto.Ed25519KeyPair.Generate();
        await using SecureLink client = await SecureLink.ConnectAsync("127.0.0.1", f.Port, LinkFixture.Chain,
            new LinkCredentials(PeerIdentity.ClientId, wallet), f.Replica(0), LinkOptions.Default, Timeout());
        await using SecureLink server = await f.Listener.Accepted.ReadAsync(Timeout());

        await client.SendAsync(FrameType.Request, new byte[Core.Limits.MaxClientFrameBytes], Timeout());
        Assert.Equal(Core.Limits.MaxClientFrameBytes, (await server.ReceiveAsync(Timeout()))!.Value.Payload.Length);

        // Only the 4-byte length of a 64 MiB frame is sent: the refusal cannot have waited for (or buffered) its bytes.
        byte[] prefix = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, 64u << 20);
        await client.SendRawAsync(prefix, Timeout());
        LinkException e = await Assert.ThrowsAsync<LinkException>(async () => await server.ReceiveAsync(Timeout()));
        Assert.Contains($"{64 << 20} bytes exceeds the limit", e.Message, StringComparison.Ordinal);
    }
}
