using System.Collections.Concurrent;

namespace SmartChain.Network.Tests;

/// <summary>
/// A sender whose loop meets an exception that is not a link, IO or socket error (a bug in connecting or sealing) says
/// so with the peer and the reason, and reconnects: before, its loop ended there and the peer went silent, with nothing
/// logged until dispose rethrew the exception.
/// </summary>
public sealed class PeerSenderFaultTests
{
    [Fact]
    public async Task An_unexpected_failure_is_logged_with_the_peer_and_reason_and_the_sender_reconnects()
    {
        const string Reason = "injected: a bug while connecting";
        await using var fixture = new LinkFixture();
        (SecureLink client, SecureLink server) = await fixture.ConnectAsync(1);
        await using (server)
        {
            using var cts = new CancellationTokenSource(LinkFixture.Wait);
            var log = new ConcurrentQueue<string>();
            int attempts = 0;
            Task<SecureLink> Connect(CancellationToken ct) =>
                Interlocked.Increment(ref attempts) == 1 ? throw new InvalidOperationException(Reason) : Task.FromResult(client);

            await using var sender = new PeerSender(2, capacity: 1024, connect: Connect, log: log.Enqueue);
            sender.Enqueue(FrameType.Consensus, new byte[] { 7 });

            // The frame arrives over the second connection; without the reconnect the wait times out.
            Frame? frame = await server.ReceiveAsync(cts.Token);
            Assert.Equal(7, frame!.Value.Payload.Span[0]);
            Assert.Equal(2, Volatile.Read(ref attempts));
            Assert.Contains(log, line => line.Contains("replica 2", StringComparison.Ordinal) && line.Contains(Reason, StringComparison.Ordinal));
        }
    }
}
