using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Client;

/// <summary>
/// Following the network's views (SPEC §7). Every reply and answer says which view its replica is in; one from a later
/// view makes the client ask the replicas for the proofs of the views after its own (the receipts of the entries that
/// installed them, each certified by Q members of the view before). It accepts the first answer that verifies from the
/// view it holds, connects to the new members and drops the links of replicas that left. One honest answer is enough.
/// </summary>
public sealed partial class ChainClient
{
    private readonly Ledger.Reconfiguration.ViewHistory _history;
    private volatile View _view;
    private int _refreshWanted;
    private Task _refreshing = Task.CompletedTask;

    /// <summary>The newest view this client has verified.</summary>
    public View View => _view;

    private readonly List<TransactionReceipt> _proofs = [];

    /// <summary>
    /// The proofs of every view after genesis this client verified, in view order (each the receipt of the entry that
    /// installed the view): with genesis, they let anyone check a certificate of a later view offline.
    /// </summary>
    public IReadOnlyList<TransactionReceipt> ViewProofs
    {
        get
        {
            lock (_proofs)
            {
                return [.. _proofs];
            }
        }
    }

    private void KeepProof(TransactionReceipt proof, View next)
    {
        lock (_proofs)
        {
            if (_proofs.Count == next.Id - 1)
            {
                _proofs.Add(proof);
            }
        }
    }

    /// <summary>Views this client has installed since it connected.</summary>
    public long ViewChanges => Interlocked.Read(ref _viewChanges);

    private long _viewChanges;

    /// <summary>
    /// Asks the connected replicas for proofs of views after the client's own and installs the newest that verifies; returns
    /// the view then in force. Called on its own when a replica reports a later view.
    /// </summary>
    public async Task<View> RefreshViewAsync(CancellationToken cancellationToken)
    {
        for (int round = 0; round < 8; round++)
        {
            View before = _view;
            IReadOnlyDictionary<int, QueryResultMessage> answers =
                await QueryEachAsync(ViewQuery.After(before.Id), TimeSpan.FromSeconds(2), cancellationToken);
            View best = before;
            foreach (QueryResultMessage answer in answers.Values)
            {
                if (TryFollow(before, answer.Body) is { } reached && reached.Id > best.Id)
                {
                    best = reached;
                }
            }

            if (best.Id == before.Id)
            {
                return before;
            }

            Install(best);
        }

        return _view;
    }

    // A reply or answer from a replica in a later view: refresh once, in the background.
    private void NoteView(long viewId)
    {
        if (viewId <= _view.Id || _stop.IsCancellationRequested || Interlocked.CompareExchange(ref _refreshWanted, 1, 0) != 0)
        {
            return;
        }

        _refreshing = Task.Run(async () =>
        {
            try
            {
                await RefreshViewAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ChainClientException)
            {
            }
            finally
            {
                Volatile.Write(ref _refreshWanted, 0);
            }
        });
    }

    // The newest view the answer proves after `from`, each proof checked against the view before it (and remembered).
    private View? TryFollow(View from, ReadOnlyMemory<byte> answer)
    {
        IReadOnlyList<TransactionReceipt> proofs;
        try
        {
            proofs = ViewQuery.DecodeAnswer(answer.Span);
        }
        catch (Core.Encoding.EncodingException)
        {
            return null;
        }

        // What verified is kept even if a later proof fails: a bad proof from one replica cannot undo the others.
        _ = ViewChain.Follow(from, _genesis.ChainId, proofs, out View current, (proof, next) =>
        {
            _history.Add(proof.Header.Number, next);
            KeepProof(proof, next);
        });
        return current.Id > from.Id ? current : null;
    }

    private void Install(View next)
    {
        lock (_connections)
        {
            if (next.Id <= _view.Id)
            {
                return;
            }

            _view = next;
        }

        Interlocked.Increment(ref _viewChanges);
        foreach (Quorum<ReplyMessage> pending in _requests.Values)
        {
            pending.Reevaluate();
        }

        foreach (int replica in _connections.Keys)
        {
            if (!next.Contains(replica) && _connections.TryRemove(replica, out Connection? gone))
            {
                Republish();
                _ = CloseAsync(gone);
            }
        }

        // New members are dialled at once (and by the maintenance loop after, if that fails).
        _ = Task.Run(() => ConnectNewMembersAsync(_stop.Token));
    }

    private static async Task CloseAsync(Connection connection)
    {
        await connection.Sender.DisposeAsync();
        await connection.Link.DisposeAsync();
    }

    // Some peer's view, whatever it is, from the replicas listed in the options (for a client whose genesis members are gone).
    private static async Task<View> DiscoverViewAsync(Core.Genesis.GenesisDocument genesis, LinkCredentials credentials, ClientOptions options,
        Ledger.Reconfiguration.ViewHistory history, List<TransactionReceipt> proofs, CancellationToken cancellationToken)
    {
        View best = genesis.InitialView;
        var errors = new List<string>();
        foreach (string peer in options.Peers)
        {
            int colon = peer.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(peer.AsSpan(colon + 1), out int port))
            {
                errors.Add($"{peer}: not host:port");
                continue;
            }

            try
            {
                await using SecureLink link = await SecureLink.ConnectToAnyReplicaAsync(peer[..colon], port, genesis.ChainId, credentials, options.Link, cancellationToken);
                await link.SendAsync(FrameType.Query, new QueryMessage(1, ViewQuery.After(best.Id)).Encode(), flush: true, cancellationToken);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(options.ConnectTimeout);
                while (await link.ReceiveAsync(wait.Token) is { } frame)
                {
                    if (frame.Type != FrameType.QueryResult)
                    {
                        continue;
                    }

                    IReadOnlyList<TransactionReceipt> answer = ViewQuery.DecodeAnswer(QueryResultMessage.Decode(frame.Payload.Span).Body.Span);
                    if (ViewChain.Follow(best, genesis.ChainId, answer, out View current, (proof, next) =>
                        {
                            history.Add(proof.Header.Number, next);
                            if (proofs.Count == next.Id - 1)
                            {
                                proofs.Add(proof);
                            }
                        }) is { } bad)
                    {
                        errors.Add($"{peer}: {bad}");
                    }

                    best = current;
                    break;
                }
            }
            catch (Exception e) when (e is LinkException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or Core.Encoding.EncodingException)
            {
                errors.Add($"{peer}: {e.Message}");
            }
        }

        return best.Id > 0 || errors.Count < options.Peers.Count ? best
            : throw new ChainClientException($"no peer could prove the network's current view: {string.Join("; ", errors)}");
    }

    // Dials, once and together, every member of the view in force that has no link yet.
    private async Task ConnectNewMembersAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        await Task.WhenAll(_view.Members.Where(m => !_connections.ContainsKey(m.Id)).Select(async m =>
        {
            (SecureLink? link, _) = await TryConnectAsync(_genesis, _credentials, _options, m, timeout.Token);
            if (link is null)
            {
                return;
            }

            if (_stop.IsCancellationRequested || _connections.ContainsKey(m.Id) || !_view.Contains(m.Id))
            {
                await link.DisposeAsync();
                return;
            }

            Attach(m.Id, link);
        }));
    }
}
