using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Consensus;

/// <summary>
/// Mod-SMaRt ordering (SPEC §3, normal case) as a pure, single-threaded state machine in the style of etcd-io/raft:
/// inputs are <see cref="Submit"/> (a verified client request), <see cref="Step"/> (an authenticated message) and
/// <see cref="Tick"/>; outputs are collected in a <see cref="Ready"/> taken with <see cref="TakeReady"/>. One
/// instance is in consensus at a time; once decided, it is handed to the driver while the next one is ordered,
/// so execution and persistence of instance i overlap ordering of instance i+1. No clock, thread, socket, file or
/// randomness here; a banned-API analyzer keeps it so.
/// </summary>
public sealed partial class ReplicaCore
{
    private View _view;
    private View? _previousView;
    private readonly string _chainId;
    private Ed25519KeyPair? _key;
    private readonly ConsensusOptions _options;
    private readonly Func<SignedRequest, bool> _verifyRequest;
    private readonly ClientTable _clients;
    private readonly RequestPool _pool;
    private readonly SortedDictionary<long, List<(int From, ConsensusMessage Message)>> _future = [];
    private readonly Dictionary<long, Decision> _recent = [];
    private readonly Queue<long> _recentOrder = new();
    private readonly List<VoteRecord> _persist = [];
    private readonly List<OutboundMessage> _messages = [];
    private readonly List<Decision> _decisions = [];
    private readonly List<ConsensusEvent> _events = [];
    private readonly List<(int, long)> _fetchesToServe = [];
    private InstanceState _current;
    private int _buffered;
    private readonly Dictionary<int, (int Count, long Bytes)> _bufferedFrom = [];
    private long _ticksWithoutDecision;
    private bool _proposalsHeld;

    /// <summary>
    /// Creates replica <paramref name="replicaId"/> of <paramref name="view"/>. <paramref name="verifyRequest"/> checks a
    /// proposed request that this replica does not already hold verified (signature, chain id, the application's
    /// CheckTx); it must be a pure function of the request. <paramref name="key"/>, this replica's signing key of the view
    /// (not owned), signs its votes; null if the replica is not a member of the view (yet: a joiner catching up; or any
    /// more: a removed replica), which makes it an observer that orders nothing.
    /// </summary>
    public ReplicaCore(int replicaId, View view, string chainId, Ed25519KeyPair? key, ConsensusOptions options,
        Func<SignedRequest, bool> verifyRequest, long lastDecided = 0, ClientTable? clients = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(verifyRequest);
        CheckKey(replicaId, view, key);

        Id = replicaId;
        _view = view;
        _chainId = chainId;
        _key = key;
        _options = options;
        _verifyRequest = verifyRequest;
        _clients = clients ?? new ClientTable(options.RequestWindow);
        if (_clients.Window != options.RequestWindow)
        {
            throw new ArgumentException($"the client table's window is {_clients.Window} instances; the options say {options.RequestWindow}", nameof(clients));
        }

        _pool = new RequestPool(options.PoolCapacity, options.PoolPerClient, options.RequestWindow);
        _pool.Open(lastDecided + 1);
        LastDecided = lastDecided;
        _current = new InstanceState(lastDecided + 1);
    }

    /// <summary>This replica's id.</summary>
    public int Id { get; }

    /// <summary>Highest decided instance; decisions are delivered in order, so every instance up to it is decided.</summary>
    public long LastDecided { get; private set; }

    /// <summary>Current regency (leader term): the leader is member <c>regency mod n</c>.</summary>
    public int Regency { get; private set; }

    /// <summary>The leader of the current regency: member number <c>regency mod n</c> in id order.</summary>
    public int Leader => LeaderOf(Regency);

    /// <summary>Verified requests waiting to be ordered.</summary>
    public int PendingRequests => _pool.Count;

    /// <summary>The replicated replay-protection table.</summary>
    public ClientTable Clients => _clients;

    /// <summary>One line for logs and timeout errors.</summary>
    public string Status =>
        $"replica {Id} view {_view.Id}{(IsMember ? "" : " (observer)")}{(_barrier is { } b ? $" awaiting-view-after {b}" : "")} regency {Regency} leader {Leader} decided {LastDecided} open {_current.Id} " +
        $"proposal {(_current.Proposal is null ? "none" : _current.ProposalHash.ToString()[..8])} writes {_current.Writes.Count} " +
        $"accepts {_current.Accepts.Count} pool {_pool.Count} buffered {_buffered}{(_held.Count > 0 ? $" held {_held.Count}" : "")}";

    /// <summary>
    /// From now until <see cref="ReleaseProposals"/>, a leader that could propose waits: the driver holds proposals while
    /// it feeds the core a burst of inputs it drained at once (client requests, votes, a decision that opens the next
    /// instance), so the batch takes everything the burst brought. Nothing else changes: votes, decisions and timeouts
    /// are handled as they come.
    /// </summary>
    public void HoldProposals() => _proposalsHeld = true;

    /// <summary>Ends <see cref="HoldProposals"/>: a leader with pooled requests and no proposal in the open instance proposes now.</summary>
    public void ReleaseProposals()
    {
        _proposalsHeld = false;
        MaybePropose();
    }

    /// <summary>The most requests a batch holds.</summary>
    public int MaxBatch => _options.MaxBatch;

    /// <summary>
    /// True if this replica, as leader, would propose a fresh batch (not a locked one) were proposals released now;
    /// <paramref name="pooled"/> is the number of requests pooled. The driver asks it to decide whether to wait for a
    /// fuller batch.
    /// </summary>
    public bool CouldPropose(out int pooled)
    {
        pooled = _pool.Count;
        return CanProposeNow() && _current.LockedBatch is null && pooled > 0;
    }

    /// <summary>Offers a client request whose signature the driver has verified.</summary>
    public PoolAddResult Submit(SignedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsMember)
        {
            return PoolAddResult.NotMember;
        }

        PoolAddResult result = _pool.Add(request, _clients);
        if (result == PoolAddResult.Added)
        {
            Arrived(request);
            MaybePropose();
        }

        return result;
    }

    /// <summary>Handles a message from replica <paramref name="from"/>, as authenticated by the link it arrived on.</summary>
    public void Step(int from, ConsensusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // FETCH also from a member of the view just left: it may have missed the decision that ended that view, even one
        // that removed it, which it must learn to retire (its links stay up until that decision's block is certified).
        if (from == Id || !(_view.Contains(from) || (message is Fetch && _previousView?.Contains(from) == true)))
        {
            Reject(from, "unknown-sender", $"message from replica {from}, which is not a peer in {_view}", evidence: false);
            return;
        }

        // No regency or instance below the first: LeaderOf would index with a negative number, and a correct replica
        // never sends one. (The codec already refuses instances below 1; this holds for any caller.)
        if (message.Regency < 0 || message.Instance < 1)
        {
            Reject(from, "invalid-regency", $"{message.Type} for regency {message.Regency}, instance {message.Instance}", evidence: true);
            return;
        }

        if (message is Fetch fetch)
        {
            OnFetch(from, fetch); // decisions are served whatever view the asker is in
            return;
        }

        if (_barrier is not null || message.ViewId == _view.Id + 1)
        {
            Hold(from, message); // the next view's messages wait until execution has said what the view is
            return;
        }

        if (message.ViewId != _view.Id)
        {
            if (message.ViewId > _view.Id)
            {
                Reject(from, "wrong-view", $"{message.Type} for view {message.ViewId}; this replica is in view {_view.Id}", evidence: false);
            }

            return; // an older view's message: its instances are decided
        }

        if (!IsMember && message is not DecisionMessage)
        {
            return;
        }

        switch (message)
        {
            case StopMessage stop:
                OnStop(from, stop.Regency);
                return;
            case StopData data:
                OnStopData(from, data);
                return;
            case Sync sync:
                OnSync(from, sync);
                return;
            case Forward forward:
                OnForward(from, forward);
                return;
        }

        if (message.Instance <= LastDecided)
        {
            return; // a late or retransmitted message for a decided instance
        }

        if (message.Instance > _current.Id)
        {
            Buffer(from, message);
            return;
        }

        Dispatch(from, message);
    }

    /// <summary>Advances time by one tick: retransmits the open instance's votes and asks for missed decisions.</summary>
    public void Tick()
    {
        _fetchAnswers.Clear();
        _fetchesAnsweredThisTick.Clear();
        if (_barrier is not null)
        {
            return; // a barrier waits for execution, not for time
        }

        if (!IsMember)
        {
            // An observer orders nothing and suspects nobody. It catches up by state transfer, which brings certified
            // blocks: the members may no longer hold the keys to certify blocks of views it was not in.
            return;
        }

        LeaderTimer();
        _ticksWithoutDecision++;
        if (_ticksWithoutDecision % _options.RetransmitTicks != 0)
        {
            return;
        }

        RetransmitSync();

        // Links may have dropped messages (a reconnect loses what was in flight): resend what this replica said.
        foreach (ConsensusMessage? mine in (ConsensusMessage?[])[_current.MyPropose, _current.MyWrite, _current.MyAccept])
        {
            if (mine is not null)
            {
                _messages.Add(new OutboundMessage(null, mine));
            }
        }

        // No decision for a while: peers may have decided this instance and moved on, and they never resend votes
        // for a decided instance. Ask; whoever has the decision answers with its self-proving DECISION.
        _messages.Add(new OutboundMessage(null, new Fetch(_view.Id, _current.Id, Regency)));

        MaybePropose();
    }

    /// <summary>Takes everything the core produced since the last call (see <see cref="Ready"/> for the order).</summary>
    public Ready TakeReady()
    {
        var ready = new Ready([.. _persist], [.. _messages], [.. _decisions], [.. _events]) { FetchesToServe = [.. _fetchesToServe] };
        _fetchesToServe.Clear();
        _persist.Clear();
        _messages.Clear();
        _decisions.Clear();
        _events.Clear();
        return ready;
    }

    // The view is read once: Leader is also read off the consensus thread (status, queries) while a view change swaps it.
    private int LeaderOf(int regency)
    {
        Core.Views.View view = _view;
        return view.Members[regency % view.N].Id;
    }

    private void Dispatch(int from, ConsensusMessage message)
    {
        if (message is DecisionMessage decision)
        {
            OnDecision(from, decision);
            return;
        }

        if (message.Regency == Regency && !_synced)
        {
            return; // the new regency starts with its SYNC; the sender retransmits
        }

        if (message.Regency != Regency)
        {
            Reject(from, "wrong-regency", $"{message.Type} for regency {message.Regency}; the current regency is {Regency}", evidence: false);
            return;
        }

        switch (message)
        {
            case Propose propose:
                OnPropose(from, propose);
                break;
            case Write write:
                OnWrite(from, write);
                break;
            case Accept accept:
                OnAccept(from, accept);
                break;
        }
    }

    private void Buffer(int from, ConsensusMessage message)
    {
        if (message.Instance > _current.Id + _options.FutureWindow || _buffered >= _options.MaxBufferedMessages)
        {
            Reject(from, "too-far-ahead", $"{message.Type} for instance {message.Instance}; open instance is {_current.Id}", evidence: false);
            return;
        }

        // Each peer gets an equal share of the buffer, so one that floods it cannot crowd out the others' early votes.
        (int fromCount, long fromBytes) = _bufferedFrom.GetValueOrDefault(from);
        if (fromCount >= _options.MaxBufferedMessages / _view.N)
        {
            Reject(from, "buffer-share-full", $"{message.Type} for instance {message.Instance}: replica {from} already has {fromCount} early messages buffered", evidence: false);
            return;
        }

        // And a share of bytes: a count alone let one peer park 1,024 maximal PROPOSEs here (issue 14).
        long size = MessageSize.Of(message);
        if (!WithinByteShare(fromBytes, size))
        {
            Reject(from, "buffer-share-full", $"{message.Type} for instance {message.Instance} ({size} B): replica {from} already has {fromBytes} B of early messages buffered, its share is {_options.BufferedBytesPerPeer} B", evidence: false);
            return;
        }

        if (!_future.TryGetValue(message.Instance, out List<(int, ConsensusMessage)>? list))
        {
            list = [];
            _future.Add(message.Instance, list);
        }

        list.Add((from, message));
        _buffered++;
        _bufferedFrom[from] = (fromCount + 1, fromBytes + size);
    }

    // A peer with nothing kept may always have one message kept, so a share below the largest message stalls nobody.
    private bool WithinByteShare(long fromBytes, long size) => fromBytes == 0 || fromBytes + size <= _options.BufferedBytesPerPeer;

    // Early messages leave the buffer (handled, or stale): each sender's share is given back. Sizes are computed again
    // rather than kept: only messages that were buffered come here, and the sum is a pass over their requests.
    private void Unbuffer(List<(int From, ConsensusMessage Message)> removed)
    {
        _buffered -= removed.Count;
        foreach ((int from, ConsensusMessage message) in removed)
        {
            if (_bufferedFrom.TryGetValue(from, out (int Count, long Bytes) share) && share.Count > 1)
            {
                _bufferedFrom[from] = (share.Count - 1, share.Bytes - MessageSize.Of(message));
            }
            else
            {
                _bufferedFrom.Remove(from);
            }
        }
    }

    /// <summary>
    /// Encoded bytes of the early messages (for instances ahead of the open one) this replica keeps from
    /// <paramref name="peer"/>: at most <see cref="ConsensusOptions.BufferedBytesPerPeer"/>, or one message if a single
    /// one is larger.
    /// </summary>
    public long BufferedBytesFrom(int peer) => _bufferedFrom.GetValueOrDefault(peer).Bytes;

    private void Reject(int from, string kind, string detail, bool evidence)
    {
        _events.Add(new ConsensusEvent(from, kind, detail, evidence));
        if (evidence)
        {
            SuspectOnEvidence(from);
        }
    }

    private void Broadcast(ConsensusMessage message) => _messages.Add(new OutboundMessage(null, message));
}
