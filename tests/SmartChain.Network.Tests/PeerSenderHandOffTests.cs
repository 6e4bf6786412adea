namespace SmartChain.Network.Tests;

/// <summary>
/// Issue 16, the cost of an instance: a frame for a connected peer whose sender is idle is sealed and written by the
/// thread that queues it (the consensus thread, the ledger loop), not by a thread-pool work item woken for it.
/// </summary>
public sealed class PeerSenderHandOffTests
{
    [Fact]
    public async Task A_frame_for_an_idle_connected_peer_is_written_before_enqueue_returns()
    {
        await using var fixture = new LinkFixture();
        (SecureLink client, SecureLink server) = await fixture.ConnectAsync(1);
        await using (server)
        {
            using var cts = new CancellationTokenSource(LinkFixture.Wait);
            await using var sender = new PeerSender(0, capacity: 1024, connect: _ => Task.FromResult(client), log: _ => { });
            Assert.True(sender.Connected); // the link was there at once, so the sender waits for frames

            for (int i = 0; i < 5; i++)
            {
                sender.Enqueue(FrameType.Consensus, new[] { (byte)i });
                Assert.Equal(0, sender.Queued); // taken, sealed and flushed by this thread
                Frame? frame = await server.ReceiveAsync(cts.Token);
                Assert.NotNull(frame);
                Assert.Equal(i, frame.Value.Payload.Span[0]);
            }
        }
    }
}
