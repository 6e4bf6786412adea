using System.Collections.Concurrent;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Client;

/// <summary>
/// A client of a SmartChain network: one authenticated link to every replica's client port, requests sent to all,
/// a result accepted once Q replicas sent identical replies (or, strong persistence, one reply with a valid receipt).
/// Thread-safe; many requests may be outstanding.
/// </summary>
public sealed class ChainClient : IAsyncDisposable
{
    private readonly GenesisDocument _genesis;
    private readonly ClientOptions _options;
    private readonly Dictionary<int, SecureLink> _links;
    private readonly ConcurrentDictionary<Hash256, Quorum<ReplyMessage>> _requests = new();
    private readonly ConcurrentDictionary<ulong, Quorum<QueryResultMessage>> _queries = new();
    private readonly ConcurrentDictionary<ulong, ConcurrentDictionary<int, QueryResultMessage>> _eachAnswers = new();
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private readonly List<Task> _receivers = [];
    private long _nextQuery;
    private readonly ReceiptChecker _receipts;
    private readonly Dictionary<int, LinkSender> _senders;
    private long _badReceipts;

    private ChainClient(GenesisDocument genesis, ClientOptions options, Dictionary<int, SecureLink> links)
    {
        _genesis = genesis;
        _options = options;
        _links = links;
        _receipts = new ReceiptChecker(genesis);
        _senders = links.ToDictionary(l => l.Key, l => new LinkSender(l.Value, _stop.Token));
        foreach ((int replica, SecureLink link) in links)
        {
            _receivers.Add(ReceiveAsync(replica, link));
        }
    }

    /// <summary>Replicas this client is connected to.</summary>
    public IReadOnlyCollection<int> ConnectedReplicas => _links.Keys;

    /// <summary>Connects to every replica of the genesis view; succeeds if at least Q connect.</summary>
    /// <exception cref="ChainClientException">Fewer than Q replicas could be reached; the message lists why.</exception>
    public static async Task<ChainClient> ConnectAsync(GenesisDocument genesis, Ed25519KeyPair identity, ClientOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        options ??= ClientOptions.Default;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var credentials = new LinkCredentials(PeerIdentity.ClientId, identity);
        var attempts = genesis.InitialView.Members.Select(async m =>
        {
            try
            {
                SecureLink link = await SecureLink.ConnectAsync(m.Host, m.ClientPort, genesis.ChainId, credentials,
                    new PeerIdentity(m.Id, m.PublicKey), options.Link, timeout.Token);
                return (m.Id, Link: (SecureLink?)link, Error: (string?)null);
            }
            catch (Exception e) when (e is LinkException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
            {
                return (m.Id, Link: (SecureLink?)null, Error: (string?)$"replica {m.Id} at {m.ClientEndpoint}: {e.Message}");
            }
        }).ToList();
        var results = await Task.WhenAll(attempts);
        var links = results.Where(r => r.Link is not null).ToDictionary(r => r.Id, r => r.Link!);
        if (links.Count < genesis.InitialView.Q)
        {
            foreach (SecureLink link in links.Values)
            {
                await link.DisposeAsync();
            }

            throw new ChainClientException(
                $"reached {links.Count} of {genesis.InitialView.N} replicas; {genesis.InitialView.Q} are needed. " +
                string.Join("; ", results.Where(r => r.Error is not null).Select(r => r.Error)));
        }

        return new ChainClient(genesis, options, links);
    }

    /// <summary>
    /// Sends <paramref name="request"/> to every replica and returns the reply Q of them agree on or, on a strong-persistence
    /// network, the first reply whose receipt verifies (its <see cref="ReplyMessage.Receipt"/> is then set).
    /// </summary>
    /// <exception cref="ChainClientException">No Q matching replies within the timeout; the message lists every replica's answer.</exception>
    public async Task<ReplyMessage> SubmitAsync(SignedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var quorum = new Quorum<ReplyMessage>(_genesis.InitialView.Q, static (a, b) => a.Matches(b), Describe);
        quorum = _requests.GetOrAdd(request.Digest, quorum);
        try
        {
            await BroadcastAsync(FrameType.Request, request.Encoded, cancellationToken);
            return await WaitAsync(quorum.Completion.Task, () => $"{request}: {quorum.Describe(AllReplicas())}", cancellationToken);
        }
        finally
        {
            _requests.TryRemove(request.Digest, out _);
        }
    }

    /// <summary>Asks every replica the same read-only query and returns the answer Q of them agree on.</summary>
    /// <exception cref="ChainClientException">No Q matching answers within the timeout.</exception>
    public async Task<QueryResultMessage> QueryAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ulong id = (ulong)Interlocked.Increment(ref _nextQuery);
        var quorum = new Quorum<QueryResultMessage>(_genesis.InitialView.Q, static (a, b) => a.Body.Span.SequenceEqual(b.Body.Span),
            a => $"{a.Body.Length} bytes at instance {a.ExecutedInstance}");
        _queries[id] = quorum;
        try
        {
            await BroadcastAsync(FrameType.Query, new QueryMessage(id, body).Encode(), cancellationToken);
            return await WaitAsync(quorum.Completion.Task, () => $"query {id}: {quorum.Describe(AllReplicas())}", cancellationToken);
        }
        finally
        {
            _queries.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Asks every connected replica the same query and returns what each answered within <paramref name="wait"/>
    /// (replicas that did not answer are missing). For status, not for trusted reads.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, QueryResultMessage>> QueryEachAsync(ReadOnlyMemory<byte> body, TimeSpan wait, CancellationToken cancellationToken)
    {
        ulong id = (ulong)Interlocked.Increment(ref _nextQuery);
        var answers = new ConcurrentDictionary<int, QueryResultMessage>();
        var quorum = new Quorum<QueryResultMessage>(_links.Count, static (_, _) => true, _ => "");
        _queries[id] = quorum;
        _eachAnswers[id] = answers;
        try
        {
            await BroadcastAsync(FrameType.Query, new QueryMessage(id, body).Encode(), cancellationToken);
            try
            {
                await quorum.Completion.Task.WaitAsync(wait, cancellationToken);
            }
            catch (TimeoutException)
            {
            }

            return new Dictionary<int, QueryResultMessage>(answers);
        }
        finally
        {
            _queries.TryRemove(id, out _);
            _eachAnswers.TryRemove(id, out _);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Stop the send and receive loops before their links go away under them.
        await _stop.CancelAsync();
        foreach (LinkSender sender in _senders.Values)
        {
            await sender.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(_receivers);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (SecureLink link in _links.Values)
        {
            await link.DisposeAsync();
        }

        _stop.Dispose();
    }

    private static string Describe(ReplyMessage r) =>
        r.Status is ReplyStatus.Executed or ReplyStatus.Duplicate ? $"{r.Status} in instance {r.Instance}"
        : $"{r.Status}: {System.Text.Encoding.UTF8.GetString(r.Result.Span)}";

    private IEnumerable<int> AllReplicas() => _genesis.InitialView.Members.Select(m => m.Id);

    private async Task<T> WaitAsync<T>(Task<T> task, Func<string> describe, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(_options.RequestTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new ChainClientException(
                $"no {_genesis.InitialView.Q} matching answers within {_options.RequestTimeout.TotalSeconds:0} s for {describe()}; {await ReplicaStatesAsync(cancellationToken)}");
        }
    }

    // Where each replica stands, for a timeout error: an operator sees at once a stalled leader or a lagging replica.
    private async Task<string> ReplicaStatesAsync(CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyDictionary<int, QueryResultMessage> answers = await QueryEachAsync(ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(1), cancellationToken);
            return "replicas now: " + string.Join("; ", AllReplicas().Select(id =>
                answers.TryGetValue(id, out QueryResultMessage? a) ? $"replica {id}: {a.Describe()}" : $"replica {id}: no answer"));
        }
        catch (Exception e) when (e is OperationCanceledException or ChainClientException)
        {
            return "replicas' state unknown";
        }
    }

    private Task BroadcastAsync(FrameType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (LinkSender sender in _senders.Values)
        {
            sender.Enqueue(type, payload);
        }

        return Task.CompletedTask;
    }

    /// <summary>Replies whose receipt did not verify (each then counted as one ordinary reply).</summary>
    public long BadReceipts => Interlocked.Read(ref _badReceipts);

    // Strong persistence: one reply whose receipt proves its result is enough (SPEC §7).
    private bool AcceptsAlone(ReplyMessage reply)
    {
        if (reply.Receipt.IsEmpty || reply.Status != ReplyStatus.Executed || _genesis.Persistence != PersistenceMode.Strong)
        {
            return false;
        }

        if (_receipts.Check(reply) is null)
        {
            return true;
        }

        Interlocked.Increment(ref _badReceipts);
        return false;
    }

    private async Task ReceiveAsync(int replica, SecureLink link)
    {
        try
        {
            while (await link.ReceiveAsync(_stop.Token) is { } frame)
            {
                if (frame.Type == FrameType.Reply)
                {
                    ReplyMessage reply = ReplyMessage.Decode(frame.Payload.Span);
                    if (_requests.TryGetValue(reply.Digest, out Quorum<ReplyMessage>? quorum) && !quorum.Completion.Task.IsCompleted)
                    {
                        if (AcceptsAlone(reply))
                        {
                            quorum.Completion.TrySetResult(reply);
                        }
                        else
                        {
                            quorum.Offer(replica, reply);
                        }
                    }
                }
                else if (frame.Type == FrameType.QueryResult)
                {
                    QueryResultMessage answer = QueryResultMessage.Decode(frame.Payload.Span);
                    if (_eachAnswers.TryGetValue(answer.QueryId, out var each))
                    {
                        each[replica] = answer;
                    }

                    if (_queries.TryGetValue(answer.QueryId, out Quorum<QueryResultMessage>? quorum))
                    {
                        quorum.Offer(replica, answer);
                    }
                }
            }
        }
        catch (Exception e) when (e is LinkException or EncodingException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // A replica that misbehaves or goes away is ignored; the quorum needs only Q of them.
        }
    }
}
