namespace SmartChain.Network.Tests;

/// <summary>Issue 14, point 6: what waits to be sent to one peer is bounded by bytes, not only by frames.</summary>
public sealed class PeerSenderBudgetTests
{
    [Fact]
    public async Task Frames_for_a_peer_that_takes_nothing_stop_at_the_byte_bound_and_the_rest_are_dropped_and_counted()
    {
        const long Bound = 1024 * 1024;
        var never = new TaskCompletionSource<SecureLink>();
        await using var sender = new PeerSender(1, capacity: 16_384, connect: ct => never.Task.WaitAsync(ct), log: _ => { }, maxQueuedBytes: Bound);

        // 100 frames of 64 KiB (6.4 MiB) towards a peer whose link never comes up: well within the frame count.
        for (int i = 0; i < 100; i++)
        {
            sender.Enqueue(FrameType.Consensus, new byte[64 * 1024]);
        }

        Assert.True(sender.QueuedBytes <= Bound, $"{sender.QueuedBytes} bytes queued");
        Assert.Equal(16, sender.Queued);
        Assert.Equal(84, sender.Dropped);
    }

    [Fact]
    public async Task A_frame_over_the_frame_limit_is_dropped_and_logged_and_the_sender_goes_on_with_the_next()
    {
        await using var fixture = new LinkFixture();
        (SecureLink client, SecureLink server) = await fixture.ConnectAsync(1);
        await using (server)
        {
            using var cts = new CancellationTokenSource(LinkFixture.Wait);
            var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
            await using var sender = new PeerSender(0, capacity: 1024, connect: _ => Task.FromResult(client), log: log.Enqueue);
            Assert.True(sender.Connected);

            int oversize = LinkOptions.Default.MaxFrameBytes + 1;
            sender.Enqueue(FrameType.StateTransfer, new byte[oversize]);
            Assert.True(sender.Connected, $"the oversize frame ended the sender; it logged: {string.Join(" | ", log)}");
            Assert.Equal(1, sender.Dropped);
            Assert.Contains(log, line => line.Contains($"{oversize} bytes", StringComparison.Ordinal) && line.Contains("frame limit", StringComparison.Ordinal));

            sender.Enqueue(FrameType.Consensus, new byte[] { 7 });
            Frame? next = await server.ReceiveAsync(cts.Token);
            Assert.Equal(7, next!.Value.Payload.Span[0]);
        }
    }
}
