using System.Net;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Reconfiguration;

namespace SmartChain.Node.Gateway;

/// <summary>
/// The client gateway: the client port's accept loop and one receive task per client link, so requests from different
/// clients are decoded and verified in parallel on the thread pool (each digest once, cached) before the consensus loop
/// sees them; application queries are answered here from the state the application published. It owns the sessions,
/// their budgets and the verification cache; it hands requests to the consensus loop's client queue and platform
/// queries to the execution loop, and keeps the <see cref="ReplyRegistry"/> those loops use to find whom to answer.
/// </summary>
internal sealed class ClientGateway : IAsyncDisposable
{
    private const int MaxVerifiedCache = 1 << 20;
    private readonly GenesisDocument _genesis;
    private readonly ClientBudget _budget;
    private readonly IClientPort _listener;
    private readonly ClientSessionLimiter _sessionLimiter;
    private readonly ByteBudget _replyBytes; // shared by every session's reply queue
    private readonly VerifiedRequests _verified;
    private readonly ReplicatedStateMachine _machine;
    private readonly ApplicationQuery _query;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _log;
    private readonly ClientInputQueue _requests;
    private readonly Action _ringDoorbell;
    private readonly ChannelWriter<ExecutionItem> _execution;
    private readonly Func<QueryMessage, byte[], QueryResultMessage> _describe;
    private readonly TimeProvider _time;
    private long _badInput;
    private long _refusedSessions;

    /// <summary>
    /// A gateway listening on <paramref name="endpoint"/> through <paramref name="links"/>'s client port: requests go to <paramref name="requests"/> (then
    /// <paramref name="ringDoorbell"/> wakes the consensus loop), platform queries to <paramref name="execution"/>, and
    /// <paramref name="describe"/> wraps a query's answer with the replica's progress.
    /// </summary>
    public ClientGateway(IReplicaTransport links, IPEndPoint endpoint, GenesisDocument genesis, LinkCredentials credentials, ClientBudget budget, ReplicatedStateMachine machine,
        ApplicationQuery query, NodeMetrics metrics, ILogger log, ClientInputQueue requests, Action ringDoorbell, ChannelWriter<ExecutionItem> execution,
        Func<QueryMessage, byte[], QueryResultMessage> describe, TimeProvider time)
    {
        _time = time;
        _genesis = genesis;
        _budget = budget;
        _machine = machine;
        _query = query;
        _metrics = metrics;
        _log = log;
        _requests = requests;
        _ringDoorbell = ringDoorbell;
        _execution = execution;
        _describe = describe;
        _replyBytes = new ByteBudget(budget.MaxQueuedReplyBytes);
        _verified = new VerifiedRequests(Check, MaxVerifiedCache);
        Replies = new ReplyRegistry(time);
        _sessionLimiter = new ClientSessionLimiter(budget.MaxSessions, budget.MaxSessionsPerSource);
        _listener = links.ListenForClients(endpoint, genesis.ChainId, credentials, budget.Link,
            (remote, reason) => LogSampled(ref _badInput, $"refused a client connection from {remote}: {reason}"));
    }

    /// <summary>Whom to answer for each request taken: tracked by the consensus loop, forgotten by the execution loop.</summary>
    public ReplyRegistry Replies { get; }

    /// <summary>Where the client port listens.</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Raised once a client session has closed and its waiting requests are forgotten (tests await it).</summary>
    public event Action? SessionClosed;

    /// <summary>Sends <paramref name="reply"/> on the session's own send queue (any thread).</summary>
    public static void Reply(ClientSession session, ReplyMessage reply) => session.Enqueue(FrameType.Reply, reply.Encode());

    /// <summary>
    /// Every request is verified once per replica, whether it first arrives from its client or inside a proposal (the
    /// consensus core calls this too): both paths share one <see cref="VerifiedRequests"/>, even when they ask at once.
    /// </summary>
    public TxCheck Verify(SignedRequest request) => _verified.Verify(request);

    private TxCheck Check(SignedRequest request)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        TxCheck check = _machine.CheckTx(request);
        _metrics.VerificationTime.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return check;
    }

    /// <summary>
    /// One query, one answer, whatever happens: a malformed query, a failing application or an answer too large to
    /// encode is logged and answered with an empty body (which no application answer is), never thrown at the loop
    /// that asked, so no client can stop the execution loop or its own session with a query.
    /// </summary>
    public void Answer(ClientSession session, QueryMessage query, Func<byte[]> compute)
    {
        byte[] encoded;
        try
        {
            encoded = _describe(query, compute()).Encode();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogSampled(ref _badInput, $"{session.Link.Peer}: query {query.QueryId} refused: {e.GetType().Name}: {e.Message}");
            encoded = _describe(query, []).Encode();
        }

        session.Enqueue(FrameType.QueryResult, encoded);
    }

    /// <summary>The accept loop: admits sessions within the limiter, runs each on its own task, ends when <paramref name="stop"/> is cancelled.</summary>
    public async Task AcceptLoopAsync(CancellationToken stop)
    {
        var sessions = new List<Task>();
        try
        {
            while (await _listener.AcceptAsync(stop) is { } link)
            {
                IPAddress source = (link.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
                if (_sessionLimiter.TryEnter(source, stop, out ClientSessionTicket? ticket, out string? evicted) is { } refusal)
                {
                    LogSampled(ref _refusedSessions, $"refused a client session from {link.RemoteEndPoint}: {refusal}");
                    await link.DisposeAsync();
                    continue;
                }

                if (evicted is not null)
                {
                    LogSampled(ref _refusedSessions, $"closed {evicted} to admit a client session from {link.RemoteEndPoint}");
                }

                // A session handles its own failures (SessionAsync), so a finished one holds nothing to observe.
                sessions.RemoveAll(static t => t.IsCompleted);
                sessions.Add(SessionAsync(link, ticket!, stop));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }

        await Task.WhenAll(sessions);
    }

    /// <summary>
    /// Requests that the pool dropped without executing them (superseded by another request with the same sequence, or
    /// cleared when this replica left the view) are never answered by execution: they are forgotten after
    /// <see cref="ClientBudget.PendingReplyLifetime"/>, and at once if their link closed in a race with Track.
    /// </summary>
    public async Task SweepLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        long lifetime = (long)(_budget.PendingReplyLifetime.TotalSeconds * _time.TimestampFrequency);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                Replies.Sweep(_time.GetTimestamp(), lifetime);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _listener.DisposeAsync();

    private async Task SessionAsync(IFrameLink link, ClientSessionTicket ticket, CancellationToken stop)
    {
        await Task.Yield(); // the accept loop goes on at once
        var session = new ClientSession(link, _budget.MaxSessionQueueBytes, _replyBytes, _time, stop);
        try
        {
            // The ticket's token ends the loop when the replica stops or a newcomer evicts this session.
            while (await link.ReceiveAsync(ticket.Token) is { } frame)
            {
                ticket.Touch();
                switch (frame.Type)
                {
                    case FrameType.Request:
                        OnRequest(session, frame.Payload);
                        break;
                    case FrameType.Query:
                        await OnQueryAsync(session, QueryMessage.Decode(frame.Payload.Span), stop);
                        break;
                    default:
                        throw new LinkException($"{link.Peer} sent a {frame.Type} frame on the client port");
                }
            }
        }
        catch (Exception e) when (e is LinkException or EncodingException)
        {
            LogSampled(ref _badInput, $"closed the link from {link.Peer} at {link.RemoteEndPoint}: {e.Message}");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ChannelClosedException)
        {
        }
        catch (Exception e)
        {
            // A bug on this session's path. Its state is its own and is released below, so the session closes and the
            // replica goes on: a client able to stop replicas could stop all of them at once with the same bytes. Said
            // here, because the accept loop drops finished sessions unobserved.
            NodeLog.SessionFailed(_log, e, $"{link.Peer} at {link.RemoteEndPoint}", $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            await session.DisposeAsync(); // marks it closed before its requests are forgotten
            Replies.ForgetAll(session);
            _sessionLimiter.Leave(ticket);
            ticket.Dispose();
            SessionClosed?.Invoke();
        }
    }

    private void OnRequest(ClientSession session, ReadOnlyMemory<byte> payload)
    {
        SignedRequest? request = null;
        EncodingException? error = null;
        bool oversized = payload.Length > _genesis.Consensus.MaxRequestBytes;
        if (oversized || !SignedRequest.TryDecode(payload, out request, out error))
        {
            string reason = oversized
                ? $"request of {payload.Length} bytes exceeds {_genesis.Consensus.MaxRequestBytes}"
                : $"malformed request: {error?.Message}";
            LogSampled(ref _badInput, $"{session.Link.Peer}: {reason}");
            Reply(session, new ReplyMessage(Hash256.Compute(payload.Span), ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(reason)));
            return;
        }

        TxCheck check = Verify(request!);

        // The door filter judges the state after the last executed batch, which for a retransmission (the client resent
        // after a dropped link) already holds the request's own effect: a LEAVE's member is gone, a SPEND's issuer may own
        // nothing. Only the consensus loop knows whether the sequence is decided, so a refusal goes there to be answered.
        string? doorRefusal = check.Accepted ? _machine.Admit(request!) : null;
        if (!check.Accepted)
        {
            _metrics.Rejected.Add(1);
            Reply(session, new ReplyMessage(request!.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(check.Reason ?? "refused")));
            return;
        }

        int waiting = Replies.Count;
        string? busy = waiting >= _budget.MaxPendingReplies ? $"busy: {waiting} requests wait for their reply; retry later"
            : session.Pending.Count >= _budget.MaxPendingRepliesPerSession ? $"busy: {session.Pending.Count} requests of this link wait for their reply"
            : _requests.TryEnqueue(new NodeInput.ClientRequest(request!, session, doorRefusal));
        if (busy is not null)
        {
            _metrics.Rejected.Add(1);
            Reply(session, new ReplyMessage(request!.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(busy)));
            return;
        }

        _ringDoorbell();
    }

    // Application queries are answered here, on the client's own receive loop, from the state the application
    // published after its last batch (IReplicatedApplication.Query): they never wait behind execution, and execution
    // never waits for them. Status and view queries read the replica's own state and go through the execution loop.
    private async ValueTask OnQueryAsync(ClientSession session, QueryMessage query, CancellationToken stop)
    {
        if (query.Body.IsEmpty || Ledger.Reconfiguration.ViewQuery.IsPlatformQuery(query.Body.Span))
        {
            await _execution.WriteAsync(new ExecutionItem.Query(query, session), stop);
            return;
        }

        if (!session.TryTakeQuery())
        {
            LogSampled(ref _badInput, $"{session.Link.Peer}: more than {ClientSession.QueriesPerSecond} queries a second; query {query.QueryId} refused");
            Answer(session, query, static () => []);
            return;
        }

        Answer(session, query, () => _query(query.Body.Span));
    }

    // Logs the 1st, 2nd, 4th, 8th… occurrence, so a flood of bad input cannot flood the log.
    private void LogSampled(ref long counter, string line)
    {
        long n = Interlocked.Increment(ref counter);
        if ((n & (n - 1)) == 0)
        {
            NodeLog.BadInput(_log, line, n);
        }
    }
}
