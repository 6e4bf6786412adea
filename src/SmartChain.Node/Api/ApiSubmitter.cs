using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node.Api;

/// <summary>
/// The API's submit path: a bounded queue drained by one task into a client link to this replica's own client port, so
/// an API transaction takes exactly the path (checks, budgets, "busy" answers) every client's does, and the API never
/// writes into the replica's loops itself. The replica's replies complete the waiting submissions; a bounded memory of
/// recent outcomes answers later status questions.
/// </summary>
internal sealed class ApiSubmitter : IAsyncDisposable
{
    /// <summary>Transactions queued in the API before it answers "busy".</summary>
    public const int QueueCapacity = 1024;

    /// <summary>Submissions waiting for the replica's answer at once (its own per-link bound is 1,024 too).</summary>
    public const int MaxWaiting = 1024;

    /// <summary>Outcomes remembered for status questions, oldest forgotten first.</summary>
    public const int MaxRemembered = 65_536;

    private readonly ReplicaHost _host;
    private readonly ILogger _log;
    private readonly TimeSpan _answerLifetime;
    private readonly Channel<SignedRequest> _queue = Channel.CreateBounded<SignedRequest>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true });
    private readonly ConcurrentDictionary<Hash256, Waiter> _waiting = new();
    private readonly ConcurrentDictionary<Hash256, SubmitOutcome> _outcomes = new();
    private readonly ConcurrentQueue<Hash256> _remembered = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Ed25519KeyPair _linkKey = Ed25519KeyPair.Generate();
    private readonly Task _pump;
    private readonly Task _sweep;

    // A submission waiting for the replica's answer, since when (Stopwatch ticks).
    private sealed record Waiter(TaskCompletionSource<SubmitOutcome> Answer, long Since);

    /// <summary>
    /// A submitter for <paramref name="host"/>. A transaction the replica has not answered within
    /// <paramref name="answerLifetime"/> is given up (its status stays pending): the replica never answers one its pool
    /// dropped unexecuted (superseded by another request with the same sequence, or its window passed), nor one whose
    /// answer went to a newer link that sent the same bytes, and such a transaction must not hold one of the
    /// <see cref="MaxWaiting"/> places for ever.
    /// </summary>
    public ApiSubmitter(ReplicaHost host, ILogger log, TimeSpan answerLifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(answerLifetime, TimeSpan.Zero);
        _host = host;
        _log = log;
        _answerLifetime = answerLifetime;
        _pump = PumpAsync();
        _sweep = SweepAsync();
    }

    /// <summary>Submissions waiting for the replica's answer.</summary>
    public int Waiting => _waiting.Count;

    public SubmitOutcome? Outcome(Hash256 id) => _outcomes.GetValueOrDefault(id);

    public async ValueTask<SubmitOutcome> SubmitAsync(SignedRequest request, bool wait, CancellationToken cancellationToken)
    {
        if (_outcomes.TryGetValue(request.Digest, out SubmitOutcome? known) && known.State == SubmitState.Executed)
        {
            return known;
        }

        TaskCompletionSource<SubmitOutcome> answer;
        if (_waiting.TryGetValue(request.Digest, out Waiter? earlier))
        {
            answer = earlier.Answer; // the same transaction again while the first is on its way: one answer for both
        }
        else
        {
            if (_waiting.Count >= MaxWaiting)
            {
                return new SubmitOutcome(request.Digest, SubmitState.Rejected, $"busy: {MaxWaiting} API transactions wait for the replica; retry later");
            }

            answer = new TaskCompletionSource<SubmitOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiting.TryAdd(request.Digest, new Waiter(answer, System.Diagnostics.Stopwatch.GetTimestamp())))
            {
                answer = _waiting.TryGetValue(request.Digest, out Waiter? raced) ? raced.Answer : answer;
            }
            else if (!_queue.Writer.TryWrite(request))
            {
                _waiting.TryRemove(request.Digest, out _);
                return new SubmitOutcome(request.Digest, SubmitState.Rejected, $"busy: the API's queue of {QueueCapacity} transactions is full; retry later");
            }
            else
            {
                Remember(new SubmitOutcome(request.Digest, SubmitState.Pending));
            }
        }

        if (!wait)
        {
            return new SubmitOutcome(request.Digest, SubmitState.Pending);
        }

        try
        {
            return await answer.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new SubmitOutcome(request.Digest, SubmitState.Pending);
        }
    }

    private void Remember(SubmitOutcome outcome)
    {
        if (_outcomes.TryAdd(outcome.Id, outcome))
        {
            _remembered.Enqueue(outcome.Id);
            while (_remembered.Count > MaxRemembered && _remembered.TryDequeue(out Hash256 oldest))
            {
                _outcomes.TryRemove(oldest, out _);
            }
        }
        else
        {
            _outcomes[outcome.Id] = outcome;
        }
    }

    // One link at a time to the replica's own client port; a lost link is made again, and what waited on it is told
    // it is still pending (the replica may yet order it; the transaction's status shows when it does).
    private async Task PumpAsync()
    {
        await Task.Yield();
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            SecureLink? link = null;
            try
            {
                if (!await _queue.Reader.WaitToReadAsync(stop))
                {
                    return;
                }

                link = await ConnectAsync(stop);
                Task receiving = ReceiveAsync(link, stop);
                while (await _queue.Reader.WaitToReadAsync(stop))
                {
                    while (_queue.Reader.TryRead(out SignedRequest? request))
                    {
                        await link.SendAsync(FrameType.Request, request.Encoded, flush: false, stop);
                    }

                    await link.FlushAsync(stop);
                    if (receiving.IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is IOException or LinkException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
            {
                ApiLog.SubmitLinkLost(_log, e.Message);
                FailWaiting("the API's link to the replica was lost; the transaction may still be ordered");
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), stop); // a replica that refuses links is not hammered
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            finally
            {
                if (link is not null)
                {
                    await link.DisposeAsync();
                }
            }
        }
    }

    private async Task<SecureLink> ConnectAsync(CancellationToken stop)
    {
        System.Net.IPEndPoint endpoint = _host.Readout.ClientEndPoint;
        string address = endpoint.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1"
            : endpoint.Address.Equals(System.Net.IPAddress.IPv6Any) ? "::1" : endpoint.Address.ToString();
        SecureLink link = await SecureLink.ConnectToAnyReplicaAsync(address, endpoint.Port, _host.Readout.Genesis.ChainId,
            new LinkCredentials(PeerIdentity.ClientId, _linkKey), LinkOptions.Default, stop);
        if (link.Peer.ReplicaId != _host.Id)
        {
            await link.DisposeAsync();
            throw new LinkException($"the client port {endpoint} answered as {link.Peer}, not replica {_host.Id}");
        }

        return link;
    }

    private async Task ReceiveAsync(SecureLink link, CancellationToken stop)
    {
        try
        {
            while (await link.ReceiveAsync(stop) is { } frame)
            {
                if (frame.Type != FrameType.Reply)
                {
                    continue;
                }

                ReplyMessage reply = ReplyMessage.Decode(frame.Payload.Span);
                SubmitOutcome outcome = reply.Status switch
                {
                    ReplyStatus.Executed or ReplyStatus.Duplicate => new SubmitOutcome(reply.Digest, SubmitState.Executed, null, reply.Block, reply.Instance) { Result = reply.Result.ToArray() },
                    ReplyStatus.Stale => new SubmitOutcome(reply.Digest, SubmitState.Rejected, "stale: the client already has a higher sequence decided; sign it again with a new sequence"),
                    _ => new SubmitOutcome(reply.Digest, SubmitState.Rejected, System.Text.Encoding.UTF8.GetString(reply.Result.Span)),
                };
                Remember(outcome);
                if (_waiting.TryRemove(reply.Digest, out Waiter? waiter))
                {
                    waiter.Answer.TrySetResult(outcome);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or LinkException or EncodingException or ObjectDisposedException)
        {
        }
    }

    private void FailWaiting(string reason)
    {
        foreach (Hash256 id in _waiting.Keys)
        {
            if (_waiting.TryRemove(id, out Waiter? waiter))
            {
                waiter.Answer.TrySetResult(new SubmitOutcome(id, SubmitState.Pending, reason));
            }
        }
    }

    // Gives up the submissions the replica has not answered within the lifetime (see the constructor), a few times per
    // lifetime so a place is free soon after.
    private async Task SweepAsync()
    {
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(_answerLifetime.Ticks / 4, TimeSpan.TicksPerMillisecond * 50, TimeSpan.TicksPerSecond * 5));
        long lifetime = (long)(_answerLifetime.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        string reason = $"no answer from the replica within {_answerLifetime.TotalSeconds:0.#} s: it dropped the transaction unexecuted " +
                        "(another with the same sequence was ordered, or its window passed) or still holds it; its status shows if it is ordered";
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                foreach (KeyValuePair<Hash256, Waiter> entry in _waiting)
                {
                    if (now - entry.Value.Since > lifetime && _waiting.TryRemove(entry))
                    {
                        var outcome = new SubmitOutcome(entry.Key, SubmitState.Pending, reason);
                        Remember(outcome);
                        entry.Value.Answer.TrySetResult(outcome);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _queue.Writer.TryComplete();
        try
        {
            await _pump;
            await _sweep;
        }
        catch (OperationCanceledException)
        {
        }

        FailWaiting("the API stopped");
        _linkKey.Dispose();
        _stop.Dispose();
    }
}
