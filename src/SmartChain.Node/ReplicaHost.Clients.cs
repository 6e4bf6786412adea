using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// Client links: each has its own receive loop, so requests from different clients are decoded and verified in
/// parallel on the thread pool (each digest once, cached) before the consensus loop sees them.
/// </summary>
public sealed partial class ReplicaHost
{
    private const int MaxVerifiedCache = 1 << 20;
    private readonly ConcurrentDictionary<Hash256, ClientSession> _replyTo = new();
    private readonly ByteBudget _replyBytes; // shared by every session's reply queue
    private readonly ConcurrentDictionary<Hash256, byte> _verified = new();
    private long _badClientInput;
    private long _refusedSessions;

    /// <summary>Requests this replica will answer once executed (bounded by <see cref="ClientBudget.MaxPendingReplies"/>).</summary>
    internal int PendingReplies => _replyTo.Count;

    /// <summary>Raised once a client session has closed and its waiting requests are forgotten (tests await it).</summary>
    internal event Action? ClientSessionClosed;

    // On the consensus thread, for a request the pool took: whom to answer once it executes. The bounds were checked
    // when the request was queued (OnClientRequestAsync); a session that closed meanwhile tracks nothing.
    private void Track(Hash256 digest, ClientSession session)
    {
        if (session.Closed)
        {
            return;
        }

        if (_replyTo.TryGetValue(digest, out ClientSession? earlier) && earlier != session)
        {
            earlier.Pending.TryRemove(digest, out _); // the same request from another link: the newer link is answered
        }

        session.Pending[digest] = System.Diagnostics.Stopwatch.GetTimestamp();
        _replyTo[digest] = session;
    }

    // Whom to answer for an executed (or repeated) request; it is no longer pending anywhere.
    private ClientSession? Forget(Hash256 digest)
    {
        if (!_replyTo.TryRemove(digest, out ClientSession? session))
        {
            return null;
        }

        session.Pending.TryRemove(digest, out _);
        return session;
    }

    // A closed link's requests have nobody to answer.
    private void ForgetAll(ClientSession session)
    {
        foreach (Hash256 digest in session.Pending.Keys)
        {
            _replyTo.TryRemove(new KeyValuePair<Hash256, ClientSession>(digest, session));
        }

        session.Pending.Clear();
    }

    // Requests that the pool dropped without executing them (superseded by another request with the same sequence,
    // or cleared when this replica left the view) are never answered by execution: they are forgotten after
    // ClientBudget.PendingReplyLifetime, and at once if their link closed in a race with Track.
    private async Task PendingReplySweepAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long lifetime = (long)(_options.Clients.PendingReplyLifetime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (KeyValuePair<Hash256, ClientSession> entry in _replyTo)
                {
                    bool expired = entry.Value.Pending.TryGetValue(entry.Key, out long since) ? now - since > lifetime : true;
                    if ((entry.Value.Closed || expired) && _replyTo.TryRemove(entry))
                    {
                        entry.Value.Pending.TryRemove(entry.Key, out _);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // Every request is verified once per replica, whether it first arrives from its client or inside a proposal:
    // both paths share this cache of accepted digests.
    private TxCheck Verify(SignedRequest request)
    {
        if (_verified.ContainsKey(request.Digest))
        {
            return TxCheck.Ok;
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        TxCheck check = _machine.CheckTx(request);
        _metrics.VerificationTime.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        if (check.Accepted)
        {
            if (_verified.Count > MaxVerifiedCache)
            {
                _verified.Clear();
            }

            _verified.TryAdd(request.Digest, 0);
        }

        return check;
    }

    private async Task ClientAcceptLoopAsync()
    {
        var sessions = new List<Task>();
        try
        {
            await foreach (SecureLink link in _clientListener.Accepted.ReadAllAsync(_stop.Token))
            {
                IPAddress source = (link.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
                if (_sessionLimiter.TryEnter(source, _stop.Token, out ClientSessionTicket? ticket, out string? evicted) is { } refusal)
                {
                    LogSampled(ref _refusedSessions, $"refused a client session from {link.RemoteEndPoint}: {refusal}");
                    await link.DisposeAsync();
                    continue;
                }

                if (evicted is not null)
                {
                    LogSampled(ref _refusedSessions, $"closed {evicted} to admit a client session from {link.RemoteEndPoint}");
                }

                sessions.RemoveAll(static t => t.IsCompleted);
                sessions.Add(ClientSessionAsync(link, ticket!));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(sessions);
    }

    private async Task ClientSessionAsync(SecureLink link, ClientSessionTicket ticket)
    {
        await Task.Yield(); // the accept loop goes on at once
        var session = new ClientSession(link, _options.Clients.MaxSessionQueueBytes, _replyBytes, _stop.Token);
        try
        {
            // The ticket's token ends the loop when the replica stops or a newcomer evicts this session.
            while (await link.ReceiveAsync(ticket.Token) is { } frame)
            {
                ticket.Touch();
                switch (frame.Type)
                {
                    case FrameType.Request:
                        await OnClientRequestAsync(session, frame.Payload);
                        break;
                    case FrameType.Query:
                        await OnQueryAsync(session, QueryMessage.Decode(frame.Payload.Span));
                        break;
                    default:
                        throw new LinkException($"{link.Peer} sent a {frame.Type} frame on the client port");
                }
            }
        }
        catch (Exception e) when (e is LinkException or EncodingException)
        {
            LogSampled(ref _badClientInput, $"closed the link from {link.Peer} at {link.RemoteEndPoint}: {e.Message}");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ChannelClosedException)
        {
        }
        finally
        {
            await session.DisposeAsync(); // marks it closed before its requests are forgotten
            ForgetAll(session);
            _sessionLimiter.Leave(ticket);
            ticket.Dispose();
            ClientSessionClosed?.Invoke();
        }
    }

    private async Task OnClientRequestAsync(ClientSession session, ReadOnlyMemory<byte> payload)
    {
        SignedRequest? request = null;
        EncodingException? error = null;
        bool oversized = payload.Length > _genesis.Consensus.MaxRequestBytes;
        if (oversized || !SignedRequest.TryDecode(payload, out request, out error))
        {
            string reason = oversized
                ? $"request of {payload.Length} bytes exceeds {_genesis.Consensus.MaxRequestBytes}"
                : $"malformed request: {error?.Message}";
            LogSampled(ref _badClientInput, $"{session.Link.Peer}: {reason}");
            Reply(session, new ReplyMessage(Hash256.Compute(payload.Span), ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(reason)));
            return;
        }

        TxCheck check = Verify(request!);
        if (check.Accepted && _machine.Admit(request!) is { } refused)
        {
            check = TxCheck.Refuse((byte)Reconfiguration.State.SystemResultCode.Rejected, refused);
        }

        if (!check.Accepted)
        {
            _metrics.Rejected.Add(1);
            Reply(session, new ReplyMessage(request!.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(check.Reason ?? "refused")));
            return;
        }

        string? busy = _replyTo.Count >= _options.Clients.MaxPendingReplies ? $"busy: {_replyTo.Count} requests wait for their reply; retry later"
            : session.Pending.Count >= _options.Clients.MaxPendingRepliesPerSession ? $"busy: {session.Pending.Count} requests of this link wait for their reply"
            : _clientInputs.TryEnqueue(new NodeInput.ClientRequest(request!, session));
        if (busy is not null)
        {
            _metrics.Rejected.Add(1);
            Reply(session, new ReplyMessage(request!.Digest, ReplyStatus.Rejected, 0, System.Text.Encoding.UTF8.GetBytes(busy)));
            return;
        }

        RingClientDoorbell();
    }

    private static void Reply(ClientSession session, ReplyMessage reply) => session.Enqueue(FrameType.Reply, reply.Encode());
}
