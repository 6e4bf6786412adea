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

    [Fact]
    public async Task A_write_that_must_wait_goes_on_without_the_queuing_threads_context()
    {
        await using var fixture = new LinkFixture();
        (SecureLink client, SecureLink server) = await fixture.ConnectAsync(1);
        await using (server)
        {
            using var cts = new CancellationTokenSource(LinkFixture.Wait);
            await using var sender = new PeerSender(0, capacity: 1024, connect: _ => Task.FromResult(client), log: _ => { });

            // The consensus thread queues frames with its own context current. 64 frames of 256 KiB to a peer that reads
            // nothing yet fill the socket's buffers, so a flush has to wait; its continuation must not be posted to that
            // context (it would run sends on the consensus thread), and queuing must not wait for the peer.
            const int Frames = 64;
            var context = new CountingContext();
            var queuing = new Thread(() =>
            {
                SynchronizationContext.SetSynchronizationContext(context);
                for (int i = 0; i < Frames; i++)
                {
                    byte[] payload = new byte[256 * 1024];
                    payload[0] = (byte)i;
                    sender.Enqueue(FrameType.Consensus, payload);
                }
            });
            queuing.Start();
            Assert.True(queuing.Join(LinkFixture.Wait), "queuing waited for a peer that does not read");
            Assert.True(sender.Queued > 0, "the peer's buffers took every frame; nothing had to wait");

            for (int i = 0; i < Frames; i++)
            {
                Frame? frame = await server.ReceiveAsync(cts.Token);
                Assert.NotNull(frame);
                Assert.Equal(i, frame.Value.Payload.Span[0]);
            }

            Assert.Equal(0, context.Posts);
        }
    }

    [Fact]
    public async Task A_large_frame_another_thread_queues_while_the_queuing_thread_drains_is_sealed_on_the_pool_not_by_that_thread()
    {
        await using var fixture = new LinkFixture();
        (SecureLink client, SecureLink server) = await fixture.ConnectAsync(1);
        await using (server)
        {
            using var cts = new CancellationTokenSource(LinkFixture.Wait);
            await using var sender = new PeerSender(0, capacity: 1024, connect: _ => Task.FromResult(client), log: _ => { });
            Assert.True(sender.Connected);

            // The consensus thread queues a vote to the idle sender and seals it inline; while it does, the ledger loop
            // queues a 1 MiB block answer. The vote must leave at once, and the block answer is not the consensus
            // thread's to seal.
            const int Large = 1024 * 1024;
            var sealedBy = new System.Collections.Concurrent.ConcurrentDictionary<int, int>(); // payload bytes → sealing thread
            bool ledgerQueued = false;
            sender.SealingForTests = (_, bytes) =>
            {
                sealedBy[bytes] = Environment.CurrentManagedThreadId;
                if (bytes == 1)
                {
                    var ledger = new Thread(() => sender.Enqueue(FrameType.StateTransfer, new byte[Large]));
                    ledger.Start();
                    ledgerQueued = ledger.Join(LinkFixture.Wait);
                }
            };
            int consensusThread = 0;
            var consensus = new Thread(() =>
            {
                consensusThread = Environment.CurrentManagedThreadId;
                sender.Enqueue(FrameType.Consensus, new byte[] { 7 });
            });
            consensus.Start();
            Assert.True(consensus.Join(LinkFixture.Wait));
            Assert.True(ledgerQueued);

            Frame? vote = await server.ReceiveAsync(cts.Token);
            Frame? answer = await server.ReceiveAsync(cts.Token);
            Assert.Equal(7, vote!.Value.Payload.Span[0]);
            Assert.Equal(Large, answer!.Value.Payload.Length);
            Assert.Equal(consensusThread, sealedBy[1]); // the vote: sealed inline, as before
            Assert.True(sealedBy[Large] != consensusThread, $"the consensus thread (thread {consensusThread}) sealed the {Large}-byte frame another thread queued");
        }
    }

    // Counts what is posted to it, and runs it on the pool so nothing is lost.
    private sealed class CountingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref _posts);
            ThreadPool.QueueUserWorkItem(_ => d(state));
        }
    }
}
