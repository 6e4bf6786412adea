using System.Buffers.Binary;
using System.Net;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>
/// A session's replies are sent by the thread that queues them while the link takes them at once (no hand-off to a send
/// task, issue 16), and by a continuation once a flush has to wait: in order, none lost, the queue still bounded, and a
/// client that stops reading never holds up the thread that queued its reply.
/// </summary>
public sealed class ClientSessionSendTests
{
    private static readonly PeerIdentity Client = new(-1, new Ed25519PublicKey(new byte[32]));

    [Fact]
    public async Task A_reply_to_an_idle_session_is_sent_by_the_thread_that_queued_it()
    {
        var link = new RecordingLink();
        var shared = new ByteBudget(1 << 20);
        await using (var session = new ClientSession(link, 1 << 20, shared, TimeProvider.System, CancellationToken.None))
        {
            session.Enqueue(FrameType.Reply, Payload(0, 0));

            (int thread, byte[] payload) = Assert.Single(link.Flushed());
            Assert.Equal(Environment.CurrentManagedThreadId, thread);
            Assert.Equal(Payload(0, 0), payload);
        }

        Assert.Equal(0, shared.Used);
    }

    [Fact]
    public async Task Replies_queued_by_many_threads_leave_in_each_threads_order_and_none_is_lost()
    {
        const int producers = 4;
        const int perProducer = 500;
        var link = new RecordingLink { AsyncFlushEvery = 7 }; // some flushes wait: the continuation takes over
        var shared = new ByteBudget(1 << 24);
        await using var session = new ClientSession(link, 1 << 24, shared, TimeProvider.System, CancellationToken.None);
        using var start = new Barrier(producers);
        // Own threads, not pool ones: four producers blocked in the barrier would wait for the pool to add threads.
        Task[] tasks = [.. Enumerable.Range(0, producers).Select(p => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < perProducer; i++)
            {
                session.Enqueue(FrameType.Reply, Payload(p, i));
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
        await Task.WhenAll(tasks);
        await link.WaitForFlushedAsync(producers * perProducer, TimeSpan.FromSeconds(10));

        List<(int Thread, byte[] Payload)> flushed = link.Flushed();
        Assert.Equal(producers * perProducer, flushed.Count);
        int[] next = new int[producers];
        foreach ((_, byte[] payload) in flushed)
        {
            int producer = BinaryPrimitives.ReadInt32LittleEndian(payload);
            Assert.Equal(next[producer]++, BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4)));
        }

        Assert.All(next, n => Assert.Equal(perProducer, n));
        Assert.Equal(0, session.Dropped);
    }

    [Fact]
    public async Task A_client_that_stops_reading_holds_up_no_caller_and_its_queue_stays_within_its_bytes()
    {
        var link = new RecordingLink();
        var shared = new ByteBudget(1 << 20);
        const int maxQueued = 8 * 1024;
        await using (var session = new ClientSession(link, maxQueued, shared, TimeProvider.System, CancellationToken.None))
        {
            link.Stall(); // the client stops reading: the next flush does not complete
            session.Enqueue(FrameType.Reply, Payload(0, 0, 1024)); // written, its flush waits
            // Every later reply only queues: the callers return at once (a blocked one would time this out).
            await Task.Run(() =>
            {
                for (int i = 1; i <= 100; i++)
                {
                    session.Enqueue(FrameType.Reply, Payload(0, i, 1024));
                }
            }).WaitAsync(TimeSpan.FromSeconds(5));

            Assert.Empty(link.Flushed());
            Assert.InRange(shared.Used, 1, maxQueued);
            Assert.True(session.Dropped > 0, "the queue took more than its bytes");
            long kept = 100 - session.Dropped;

            link.Resume(); // the client reads again: the first reply, then the kept ones, in order
            await link.WaitForFlushedAsync(1 + (int)kept, TimeSpan.FromSeconds(10));
            int[] sequence = [.. link.Flushed().Select(f => BinaryPrimitives.ReadInt32LittleEndian(f.Payload.AsSpan(4)))];
            Assert.Equal(1 + kept, sequence.Length);
            Assert.Equal(0, sequence[0]);
            Assert.Equal(sequence.Order(), sequence);
        }

        Assert.Equal(0, shared.Used);
    }

    [Fact]
    public async Task A_link_that_fails_ends_sending_and_the_session_gives_back_what_was_queued()
    {
        var link = new RecordingLink { FailFlushes = true };
        var shared = new ByteBudget(1 << 20);
        await using (var session = new ClientSession(link, 1 << 20, shared, TimeProvider.System, CancellationToken.None))
        {
            session.Enqueue(FrameType.Reply, Payload(0, 0)); // the flush fails: no exception reaches the caller
            session.Enqueue(FrameType.Reply, Payload(0, 1));
            Assert.Empty(link.Flushed());
        }

        Assert.Equal(0, shared.Used);
        Assert.True(link.Disposed);
    }

    // Replies are sent on the thread that releases them (the ledger loop): whatever a send throws, even what no link is
    // expected to throw, ends that session's sending and never reaches the caller.
    [Theory]
    [InlineData("socket")]
    [InlineData("argument")]
    public async Task A_send_that_throws_anything_ends_sending_without_reaching_the_caller(string kind)
    {
        Exception thrown = kind == "socket" ? new System.Net.Sockets.SocketException(104) : new ArgumentException("too large");
        var link = new RecordingLink { ThrowOnSend = thrown };
        var shared = new ByteBudget(1 << 20);
        var session = new ClientSession(link, 1 << 20, shared, TimeProvider.System, CancellationToken.None);
        session.Enqueue(FrameType.Reply, Payload(0, 0));
        session.Enqueue(FrameType.Reply, Payload(0, 1));
        Assert.Empty(link.Flushed());
        await session.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)); // a sender that never let go would hang here

        Assert.Equal(0, shared.Used);
        Assert.True(link.Disposed);
    }

    [Fact]
    public async Task A_blocks_replies_to_one_client_leave_together_with_one_flush_in_block_order()
    {
        var shared = new ByteBudget(1 << 20);
        var first = new RecordingLink();
        var second = new RecordingLink();
        await using var a = new ClientSession(first, 1 << 20, shared, TimeProvider.System, CancellationToken.None);
        await using var b = new ClientSession(second, 1 << 20, shared, TimeProvider.System, CancellationToken.None);
        using var key = Ed25519KeyPair.FromSeed(new byte[32]);
        SignedRequest[] requests = [.. Enumerable.Range(0, 5).Select(i => SignedRequest.Create("hops", key, (ulong)i + 1, 0, [(byte)i]))];
        ReplyMessage?[] replies = [.. requests.Select((r, i) => (ReplyMessage?)new ReplyMessage(r.Digest, ReplyStatus.Executed, 7, new byte[] { (byte)i }))];
        ClientSession[] to = [a, b, a, a, b];
        var waiting = Enumerable.Range(0, 5).Select(i => new PendingReply(to[i], requests[i], i)).ToList();

        new ReplyCache(16).Release(replies, waiting, encodeWithReceipt: null);

        Assert.Equal(1, first.Flushes);
        Assert.Equal(1, second.Flushes);
        Assert.Equal([0, 2, 3], first.Flushed().Select(f => (int)ReplyMessage.Decode(f.Payload).Result.Span[0]));
        Assert.Equal([1, 4], second.Flushed().Select(f => (int)ReplyMessage.Decode(f.Payload).Result.Span[0]));
    }

    private static byte[] Payload(int producer, int sequence, int size = 8)
    {
        byte[] payload = new byte[size];
        BinaryPrimitives.WriteInt32LittleEndian(payload, producer);
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), sequence);
        return payload;
    }

    // Frames are "on the wire" once flushed; which thread flushed them is recorded with each.
    private sealed class RecordingLink : IFrameLink
    {
        private readonly Lock _gate = new();
        private readonly List<byte[]> _buffered = [];
        private readonly List<(int Thread, byte[] Payload)> _flushed = [];
        private TaskCompletionSource? _stalled;
        private TaskCompletionSource? _stall;
        private int _flushes;

        public int AsyncFlushEvery { get; init; }

        public bool FailFlushes { get; init; }

        public Exception? ThrowOnSend { get; init; }

        public bool Disposed { get; private set; }

        public int Flushes => Volatile.Read(ref _flushCalls);

        private int _flushCalls;

        public PeerIdentity Peer => Client;

        public EndPoint? RemoteEndPoint => null;

        public void Stall()
        {
            lock (_gate)
            {
                _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        public void Resume()
        {
            TaskCompletionSource? stall;
            lock (_gate)
            {
                stall = _stall;
                _stall = null;
            }

            stall?.SetResult();
        }

        public List<(int Thread, byte[] Payload)> Flushed()
        {
            lock (_gate)
            {
                return [.. _flushed];
            }
        }

        public async Task WaitForFlushedAsync(int count, TimeSpan timeout)
        {
            Task waited;
            lock (_gate)
            {
                if (_flushed.Count >= count)
                {
                    return;
                }

                _stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waitFor = count;
                waited = _stalled.Task;
            }

            await waited.WaitAsync(timeout);
        }

        private int _waitFor;

        public ValueTask SendAsync(FrameType type, ReadOnlyMemory<byte> payload, bool flush, CancellationToken cancellationToken)
        {
            if (ThrowOnSend is { } e)
            {
                throw e;
            }

            lock (_gate)
            {
                _buffered.Add(payload.ToArray());
            }

            return flush ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _flushCalls);
            if (FailFlushes)
            {
                return ValueTask.FromException(new IOException("connection reset"));
            }

            Task? stall;
            bool later;
            lock (_gate)
            {
                stall = _stall?.Task;
                later = AsyncFlushEvery > 0 && ++_flushes % AsyncFlushEvery == 0;
            }

            if (stall is not null)
            {
                return new ValueTask(stall.ContinueWith(_ => Move(), TaskScheduler.Default));
            }

            if (later)
            {
                return new ValueTask(Task.Run(Move, cancellationToken));
            }

            Move();
            return ValueTask.CompletedTask;
        }

        private void Move()
        {
            TaskCompletionSource? done = null;
            lock (_gate)
            {
                _flushed.AddRange(_buffered.Select(b => (Environment.CurrentManagedThreadId, b)));
                _buffered.Clear();
                if (_stalled is not null && _flushed.Count >= _waitFor)
                {
                    done = _stalled;
                    _stalled = null;
                }
            }

            done?.SetResult();
        }

        public ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken) => ValueTask.FromResult<Frame?>(null);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
