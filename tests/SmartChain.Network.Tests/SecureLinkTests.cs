using System.Net.Sockets;
using SmartChain.Core.Crypto;

namespace SmartChain.Network.Tests;

public class SecureLinkTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(LinkFixture.Wait).Token;

    [Fact]
    public async Task Replica_links_authenticate_both_ends_and_carry_frames_both_ways()
    {
        await using var f = new LinkFixture();
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 2);
        await using (client)
        await using (server)
        {
            Assert.Equal(f.Replica(2), server.Peer);
            Assert.Equal(f.Replica(0), client.Peer);

            await client.SendAsync(FrameType.Consensus, "hello"u8.ToArray(), Timeout());
            Frame? up = await server.ReceiveAsync(Timeout());
            Assert.Equal((FrameType.Consensus, 2, "hello"), (up!.Value.Type, up.Value.Sender, System.Text.Encoding.UTF8.GetString(up.Value.Payload.Span)));

            await server.SendAsync(FrameType.Reply, new byte[100_000], Timeout());
            Frame? down = await client.ReceiveAsync(Timeout());
            Assert.Equal(100_000, down!.Value.Payload.Length);
            Assert.Equal(0, down.Value.Sender);
        }
    }

    [Fact]
    public async Task Received_frames_keep_their_bytes_after_later_frames_reuse_the_pooled_receive_buffers()
    {
        // Sealed frames are read into rented arrays and opened into arrays of their own: a payload handed out must
        // never be a rented array that a later frame (of any size) is read into.
        await using var f = new LinkFixture();
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 3);
        await using (client)
        await using (server)
        {
            int[] sizes = [0, 1, 300, 17, 4096, 5000, 300, 1, 65_536, 2];
            for (int i = 0; i < sizes.Length; i++)
            {
                await client.SendAsync(FrameType.Consensus, Enumerable.Repeat((byte)(i + 1), sizes[i]).ToArray(), flush: false, Timeout());
            }

            await client.FlushAsync(Timeout());
            var received = new List<Frame>();
            for (int i = 0; i < sizes.Length; i++)
            {
                received.Add((await server.ReceiveAsync(Timeout()))!.Value);
            }

            for (int i = 0; i < sizes.Length; i++)
            {
                Assert.Equal(sizes[i], received[i].Payload.Length);
                Assert.All(received[i].Payload.ToArray(), b => Assert.Equal(i + 1, b));
            }
        }
    }

    [Fact]
    public async Task Concurrent_senders_are_serialized_and_every_frame_authenticates()
    {
        await using var f = new LinkFixture();
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 1);
        await using (client)
        await using (server)
        {
            Task[] senders = [.. Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
            {
                for (int i = 0; i < 250; i++)
                {
                    await client.SendAsync(FrameType.Consensus, BitConverter.GetBytes((t * 1000) + i), Timeout());
                }
            }))];
            var seen = new HashSet<int>();
            for (int i = 0; i < 1000; i++)
            {
                Frame? frame = await server.ReceiveAsync(Timeout());
                Assert.True(seen.Add(BitConverter.ToInt32(frame!.Value.Payload.Span)));
            }

            await Task.WhenAll(senders);
            Assert.Equal(1000, seen.Count);
        }
    }

    [Fact]
    public async Task A_connection_claiming_another_replicas_id_is_refused()
    {
        await using var f = new LinkFixture();
        var impostor = new LinkCredentials(1, f.Keys[2]); // replica 2's key, claiming to be replica 1
        await Assert.ThrowsAsync<LinkException>(() =>
            SecureLink.ConnectAsync("127.0.0.1", f.Port, LinkFixture.Chain, impostor, f.Replica(0), f.Options, Timeout()));
        Assert.Contains("is not replica 1's key", await f.NextRejectionAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_and_a_foreign_chain_are_refused_and_the_listener_keeps_serving()
    {
        await using var f = new LinkFixture();
        using var stranger = Ed25519KeyPair.Generate();
        await Assert.ThrowsAsync<LinkException>(() =>
            SecureLink.ConnectAsync("127.0.0.1", f.Port, LinkFixture.Chain, new LinkCredentials(9, stranger), f.Replica(0), f.Options, Timeout()));
        Assert.Contains("replica 9 is not a member", await f.NextRejectionAsync(), StringComparison.Ordinal);

        await Assert.ThrowsAsync<LinkException>(() =>
            SecureLink.ConnectAsync("127.0.0.1", f.Port, "other-chain", new LinkCredentials(1, f.Keys[1]), f.Replica(0), f.Options, Timeout()));
        Assert.Contains("chain \"other-chain\"", await f.NextRejectionAsync(), StringComparison.Ordinal);

        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 3);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task The_dialer_refuses_a_listener_that_is_not_the_replica_it_expected()
    {
        await using var f = new LinkFixture();
        LinkException e = await Assert.ThrowsAsync<LinkException>(() =>
            SecureLink.ConnectAsync("127.0.0.1", f.Port, LinkFixture.Chain, new LinkCredentials(1, f.Keys[1]), f.Replica(3), f.Options, Timeout()));
        Assert.Contains("expected replica 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_frame_fails_authentication()
    {
        await using var f = new LinkFixture();
        await using var proxy = new UnitProxy(f.Port)
        {
            Rewrite = (index, unit) =>
            {
                if (index == 2)
                {
                    unit[^1] ^= 0x01;
                }

                return [UnitProxy.Prefixed(unit)];
            },
        };
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 1, proxy.Port);
        await using (client)
        await using (server)
        {
            await client.SendAsync(FrameType.Consensus, "pay 5"u8.ToArray(), Timeout());
            LinkException e = await Assert.ThrowsAsync<LinkException>(async () => await server.ReceiveAsync(Timeout()));
            Assert.Contains("frame 1 from replica 1 failed authentication", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_replayed_frame_fails_authentication()
    {
        await using var f = new LinkFixture();
        await using var proxy = new UnitProxy(f.Port)
        {
            Rewrite = (index, unit) => index == 2 ? [UnitProxy.Prefixed(unit), UnitProxy.Prefixed(unit)] : [UnitProxy.Prefixed(unit)],
        };
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 1, proxy.Port);
        await using (client)
        await using (server)
        {
            await client.SendAsync(FrameType.Consensus, "once"u8.ToArray(), Timeout());
            Assert.NotNull(await server.ReceiveAsync(Timeout()));
            LinkException e = await Assert.ThrowsAsync<LinkException>(async () => await server.ReceiveAsync(Timeout()));
            Assert.Contains("frame 2 from replica 1 failed authentication", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_oversized_frame_is_refused_before_it_is_read()
    {
        await using var f = new LinkFixture(new LinkOptions { MaxFrameBytes = 1000 });
        await using var proxy = new UnitProxy(f.Port)
        {
            Rewrite = (index, unit) => index == 2 ? [[0xFF, 0xFF, 0xFF, 0x7F]] : [UnitProxy.Prefixed(unit)],
        };
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 1, proxy.Port);
        await using (client)
        await using (server)
        {
            await Assert.ThrowsAsync<ArgumentException>(async () => await client.SendAsync(FrameType.Consensus, new byte[1001], Timeout()));
            await client.SendAsync(FrameType.Consensus, new byte[10], Timeout());
            LinkException e = await Assert.ThrowsAsync<LinkException>(async () => await server.ReceiveAsync(Timeout()));
            Assert.Contains("2147483647 bytes exceeds the limit", e.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x47, 0x45, 0x54, 0x20, 0x2F, 0x20, 0x48, 0x54, 0x54, 0x50 }, "exceeds the limit")] // "GET / HTTP"
    [InlineData(new byte[] { 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8 }, "bad magic")]
    public async Task Random_bytes_on_the_port_are_refused_and_the_listener_keeps_serving(byte[] garbage, string reason)
    {
        await using var f = new LinkFixture();
        using (var raw = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await raw.ConnectAsync("127.0.0.1", f.Port);
            await raw.SendAsync(garbage);
            Assert.Contains(reason, await f.NextRejectionAsync(), StringComparison.Ordinal);
        }

        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 1);
        await client.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task A_silent_connection_is_dropped_when_the_handshake_times_out()
    {
        await using var f = new LinkFixture(new LinkOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) });
        using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await raw.ConnectAsync("127.0.0.1", f.Port);
        Assert.Contains("did not complete", await f.NextRejectionAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_port_admits_client_keys_and_refuses_replica_ids()
    {
        await using var f = new LinkFixture(clientPort: true);
        using var wallet = Ed25519KeyPair.Generate();
        SecureLink client = await SecureLink.ConnectAsync("127.0.0.1", f.Port, LinkFixture.Chain,
            new LinkCredentials(PeerIdentity.ClientId, wallet), f.Replica(0), f.Options, Timeout());
        SecureLink server = await f.Listener.Accepted.ReadAsync(Timeout());
        Assert.True(server.Peer.IsClient);
        Assert.Equal(wallet.PublicKey, server.Peer.PublicKey);
        await client.DisposeAsync();
        await server.DisposeAsync();

        await Assert.ThrowsAsync<LinkException>(() =>
            SecureLink.ConnectAsync("127.0.0.1", f.Port, LinkFixture.Chain, new LinkCredentials(1, f.Keys[1]), f.Replica(0), f.Options, Timeout()));
        Assert.Contains("replicas connect on the replica port", await f.NextRejectionAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_closes_ends_the_stream_cleanly()
    {
        await using var f = new LinkFixture();
        (SecureLink client, SecureLink server) = await f.ConnectAsync(from: 1);
        await client.DisposeAsync();
        Assert.Null(await server.ReceiveAsync(Timeout()));
        await server.DisposeAsync();
    }
}
