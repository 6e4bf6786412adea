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
/// A replica whose link is down (at connect time, or later: a restart, a dropped connection) is retried in the
/// background, so a client keeps all n replicas when it can, not only the Q it started with. The client follows the
/// network's views on its own (SPEC §7): a reply from a replica in a later view makes it fetch that view's proof,
/// verify it, connect to new members and drop removed ones. Thread-safe; many requests may be outstanding.
/// </summary>
public sealed partial class ChainClient : IAsyncDisposable
{
    private readonly GenesisDocument _genesis;
    private readonly ClientOptions _options;
    private readonly ConcurrentDictionary<int, Connection> _connections = new();

    // The live connections as an array, replaced on each connect and disconnect: every request is broadcast over it,
    // and enumerating the dictionary's Values would copy it on each one.
    private volatile Connection[] _live = [];
    private readonly ConcurrentDictionary<Hash256, Quorum<ReplyMessage>> _requests = new();
    private readonly ConcurrentDictionary<ulong, Quorum<QueryResultMessage>> _queries = new();
    private readonly ConcurrentDictionary<ulong, ConcurrentDictionary<int, QueryResultMessage>> _eachAnswers = new();
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;
    private readonly Task _maintain;
    private readonly Ed25519KeyPair _linkKey = Ed25519KeyPair.Generate();
    private readonly LinkCredentials _credentials;
    private long _nextQuery;
    private readonly ReceiptChecker _receipts;
    private long _badReceipts;

    private ChainClient(GenesisDocument genesis, ClientOptions options, Dictionary<int, SecureLink> links, Core.Views.View view,
        Ledger.Reconfiguration.ViewHistory history)
    {
        _genesis = genesis;
        _options = options;
        _view = view;
        _history = history;
        _credentials = new LinkCredentials(PeerIdentity.ClientId, _linkKey);
        _receipts = new ReceiptChecker(genesis, history);
        foreach ((int replica, SecureLink link) in links)
        {
            Attach(replica, link);
        }

        _maintain = MaintainLinksAsync();
    }

    /// <summary>Replicas this client is connected to now.</summary>
    public IReadOnlyCollection<int> ConnectedReplicas => [.. _connections.Keys];

    /// <summary>
    /// Connects to every replica of the newest view it knows (the genesis view, or the one the options' peers prove);
    /// succeeds if at least Q connect, and then brings its view up to date. <paramref name="identity"/> authenticates these
    /// links and is not kept: links made later (reconnects) use a key of the client's own, so the caller may dispose it
    /// once this returns. Requests carry their own signatures either way.
    /// </summary>
    /// <exception cref="ChainClientException">Fewer than Q replicas could be reached; the message lists why.</exception>
    public static async Task<ChainClient> ConnectAsync(GenesisDocument genesis, Ed25519KeyPair identity, ClientOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        options ??= ClientOptions.Default;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var credentials = new LinkCredentials(PeerIdentity.ClientId, identity);
        var history = new Ledger.Reconfiguration.ViewHistory(genesis.InitialView);
        var proofs = new List<Ledger.TransactionReceipt>();
        Core.Views.View view = options.Peers.Count == 0 ? genesis.InitialView : await DiscoverViewAsync(genesis, credentials, options, history, proofs, timeout.Token);
        var attempts = view.Members.Select(async m =>
        {
            (SecureLink? link, string? error) = await TryConnectAsync(genesis, credentials, options, m, timeout.Token);
            return (m.Id, Link: link, Error: error);
        }).ToList();
        var results = await Task.WhenAll(attempts);
        var links = results.Where(r => r.Link is not null).ToDictionary(r => r.Id, r => r.Link!);
        if (links.Count < view.Q)
        {
            foreach (SecureLink link in links.Values)
            {
                await link.DisposeAsync();
            }

            throw new ChainClientException(
                $"reached {links.Count} of the {view.N} replicas of {view}; {view.Q} are needed. " +
                string.Join("; ", results.Where(r => r.Error is not null).Select(r => r.Error)) +
                (view.Id == 0 ? " (if the network has changed members since genesis, name a current member with --peers)" : ""));
        }

        var client = new ChainClient(genesis, options, links, view, history);
        client._proofs.AddRange(proofs);
        await client.RefreshViewAsync(cancellationToken);
        await client.ConnectNewMembersAsync(cancellationToken); // the view may have grown: reach its new members before the first request
        return client;
    }

    private static async Task<(SecureLink? Link, string? Error)> TryConnectAsync(GenesisDocument genesis, LinkCredentials credentials, ClientOptions options,
        Core.Views.ReplicaMember member, CancellationToken cancellationToken)
    {
        try
        {
            SecureLink link = await SecureLink.ConnectAsync(member.Host, member.ClientPort, genesis.ChainId, credentials,
                new PeerIdentity(member.Id, member.PublicKey), options.Link, cancellationToken);
            return (link, null);
        }
        catch (Exception e) when (e is LinkException or IOException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return (null, $"replica {member.Id} at {member.ClientEndpoint}: {e.Message}");
        }
    }

    /// <summary>One replica's live link: its send loop and its receive loop.</summary>
    private sealed record Connection(SecureLink Link, LinkSender Sender)
    {
        public Task Receiver { get; set; } = Task.CompletedTask;
    }

    private void Attach(int replica, SecureLink link)
    {
        var connection = new Connection(link, new LinkSender(link, _stop.Token));
        _connections[replica] = connection;
        Republish();
        connection.Receiver = ReceiveAsync(replica, connection);

        // Requests still waiting went out before this link existed: a replica reached late (restarted, or new in the
        // view) gets them too, so it can answer (a JOIN needs Q members' votes, not only the first ones reached).
        foreach (Quorum<ReplyMessage> pending in _requests.Values)
        {
            if (!pending.Payload.IsEmpty && !pending.Completion.Task.IsCompleted)
            {
                connection.Sender.Enqueue(FrameType.Request, pending.Payload);
            }
        }
    }

    private void Republish()
    {
        lock (_connections)
        {
            _live = [.. _connections.Values];
        }
    }

    // Retries every replica without a link, each with its own back-off.
    private async Task MaintainLinksAsync()
    {
        var nextTry = new Dictionary<int, (DateTime At, TimeSpan Wait)>();
        try
        {
            using var timer = new PeriodicTimer(_options.ReconnectInterval);
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (Core.Views.ReplicaMember member in _view.Members)
                {
                    if (_connections.ContainsKey(member.Id) || (nextTry.TryGetValue(member.Id, out var next) && DateTime.UtcNow < next.At))
                    {
                        continue;
                    }

                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    timeout.CancelAfter(_options.ConnectTimeout);
                    (SecureLink? link, _) = await TryConnectAsync(_genesis, _credentials, _options, member, timeout.Token);
                    if (link is null)
                    {
                        TimeSpan wait = nextTry.TryGetValue(member.Id, out var last) ? TimeSpan.FromTicks(Math.Min(last.Wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)) : _options.ReconnectInterval;
                        nextTry[member.Id] = (DateTime.UtcNow + wait, wait);
                    }
                    else if (_stop.IsCancellationRequested)
                    {
                        await link.DisposeAsync();
                    }
                    else
                    {
                        nextTry.Remove(member.Id);
                        Attach(member.Id, link);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> to every replica and returns the reply Q of them agree on or, on a strong-persistence
    /// network, the first reply whose receipt verifies (its <see cref="ReplyMessage.Receipt"/> is then set).
    /// </summary>
    /// <exception cref="ChainClientException">No Q matching replies within the timeout; the message lists every replica's answer.</exception>
    public async Task<ReplyMessage> SubmitAsync(SignedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var quorum = new Quorum<ReplyMessage>(_view.Q, static (a, b) => a.Matches(b), Describe)
        {
            CurrentQuorum = () => _view.Q,
            Payload = request.Encoded,
            Preferred = static r => r.Status != ReplyStatus.Duplicate,
        };
        quorum = _requests.GetOrAdd(request.Digest, quorum);
        try
        {
            await BroadcastAsync(FrameType.Request, request.Encoded, cancellationToken);
            ReplyMessage reply = await WaitAsync(quorum.Completion.Task, () => $"{request}: {quorum.Describe(AllReplicas())}", cancellationToken);
            if (reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate)
            {
                // A reply accepted alone for its receipt proves its block, not its instance; an instance never exceeds
                // its block's number, so a lying replica cannot push the client's not-before past that.
                NoteInstance(reply.Receipt.IsEmpty ? reply.Instance : Math.Min(reply.Instance, reply.Block));
            }

            return reply;
        }
        finally
        {
            _requests.TryRemove(request.Digest, out _);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Stop reconnecting, then the send and receive loops, before their links go away under them.
        await _stop.CancelAsync();
        await _maintain;
        await _refreshing;
        foreach (Connection connection in _connections.Values)
        {
            await connection.Sender.DisposeAsync();
            try
            {
                await connection.Receiver;
            }
            catch (OperationCanceledException)
            {
            }

            await connection.Link.DisposeAsync();
        }

        _linkKey.Dispose();
        _stop.Dispose();
    }

    private static string Describe(ReplyMessage r) =>
        r.Status is ReplyStatus.Executed or ReplyStatus.Duplicate ? $"{r.Status} in instance {r.Instance}"
        : $"{r.Status}: {System.Text.Encoding.UTF8.GetString(r.Result.Span)}";

    private IEnumerable<int> AllReplicas() => _view.Members.Select(m => m.Id);

    private async Task<T> WaitAsync<T>(Task<T> task, Func<string> describe, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(_options.RequestTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new ChainClientException(
                $"no {_view.Q} matching answers within {_options.RequestTimeout.TotalSeconds:0} s for {describe()}; {await ReplicaStatesAsync(cancellationToken)}");
        }
    }

    private Task BroadcastAsync(FrameType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (Connection connection in _live)
        {
            connection.Sender.Enqueue(type, payload);
        }

        return Task.CompletedTask;
    }

    /// <summary>Replies whose receipt did not verify (each then counted as one ordinary reply).</summary>
    public long BadReceipts => Interlocked.Read(ref _badReceipts);

    // Strong persistence: one reply whose receipt proves its result is enough (SPEC §7). The request's own bytes (the
    // quorum's payload) stand in for hashing the receipt's entry.
    private bool AcceptsAlone(ReplyMessage reply, ReadOnlySpan<byte> request)
    {
        // A Duplicate with a receipt proves the same as the Executed reply it repeats: the entry and its result in a certified block.
        if (reply.Receipt.IsEmpty || reply.Status is not (ReplyStatus.Executed or ReplyStatus.Duplicate) || _genesis.Persistence != PersistenceMode.Strong)
        {
            return false;
        }

        if (_receipts.Check(reply, request) is null)
        {
            return true;
        }

        Interlocked.Increment(ref _badReceipts);
        return false;
    }

    private async Task ReceiveAsync(int replica, Connection connection)
    {
        SecureLink link = connection.Link;
        try
        {
            while (await link.ReceiveAsync(_stop.Token) is { } frame)
            {
                if (frame.Type == FrameType.Reply)
                {
                    // The frame's plaintext is the frame's own array: the reply keeps slices of it instead of copying its receipt.
                    ReplyMessage reply = ReplyMessage.DecodeShared(frame.Payload);
                    NoteView(reply.ViewId);
                    if (_requests.TryGetValue(reply.Digest, out Quorum<ReplyMessage>? quorum) && !quorum.Completion.Task.IsCompleted)
                    {
                        if (!_wantVotes.ContainsKey(reply.Digest) && AcceptsAlone(reply, quorum.Payload.Span))
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
                    NoteView(answer.ViewId);
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

        // The link is gone: forget it, so the maintenance loop connects again (unless the client is closing).
        if (!_stop.IsCancellationRequested && _connections.TryRemove(new KeyValuePair<int, Connection>(replica, connection)))
        {
            Republish();
            await connection.Sender.DisposeAsync();
            await connection.Link.DisposeAsync();
        }
    }
}
