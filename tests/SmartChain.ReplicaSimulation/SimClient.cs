using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Reconfiguration.Operations;
using SmartChain.Reconfiguration.State;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// A simulated client: a minter that sends MINT requests one at a time to every replica of the view it holds and counts
/// one acknowledged once Q replicas sent matching replies, or one reply carries a receipt that verifies from genesis (the
/// client's own <see cref="ReceiptChecker"/>). It resends over fresh links after a virtual second without an answer,
/// as a real client would after a broken link. It follows the views as a real client does: a reply from a later view
/// makes it ask that replica for the proofs of the views after its own (<see cref="ViewQuery"/>), follow them with
/// <see cref="ViewChain"/>, dial the new members and drop the links of those that left. It also submits system requests
/// (JOIN, with the members' votes collected; the join certificate; LEAVE; EXCLUDE) for the run's reconfigurations.
/// What it acknowledged is what the run's checks hold the ledgers to.
/// </summary>
internal sealed class SimClient(int index, GenesisDocument genesis, Ed25519KeyPair key, SimNetwork network, Func<int, Ed25519PublicKey> replicaKey,
    TimeProvider time)
{
    private readonly ViewHistory _history = new(genesis.InitialView);
    private ReceiptChecker? _receipts;
    private readonly Dictionary<int, SimFrameLink> _links = [];
    private readonly Dictionary<int, ReplyMessage> _answers = [];
    private readonly List<(int Replica, ReplyMessage Reply)> _ahead = [];
    private Hash256 _waitingFor;
    private TaskCompletionSource<ReplyMessage>? _done;
    private Dictionary<int, ReadOnlyMemory<byte>>? _votes;
    private bool _system;
    private ulong _sequence;
    private ulong _query;
    private long _wantView;

    /// <summary>Requests acknowledged: digest, block and instance the answer named.</summary>
    public List<(Hash256 Digest, long Block, long Instance)> Acknowledged { get; } = [];

    /// <summary>Receipts that did not verify (must stay empty), with why.</summary>
    public List<string> BadReceipts { get; } = [];

    /// <summary>The newest view this client has verified.</summary>
    public View View { get; private set; } = genesis.InitialView;

    /// <summary>Views this client followed (each proven from the one before).</summary>
    public int ViewChanges { get; private set; }

    private ReceiptChecker Receipts => _receipts ??= new ReceiptChecker(genesis, _history);

    /// <summary>Sends one request and waits (in virtual time) for its acknowledgement; returns when it came, or null at <paramref name="deadline"/>.</summary>
    public async Task<long?> SubmitAsync(long deadline, CancellationToken cancellationToken)
    {
        SignedRequest request = SignedRequest.Create(genesis.ChainId, key, ++_sequence, 0,
            CoinOperation.Mint([new CoinOutput(key.PublicKey, (ulong)_sequence)]).Encode());
        return await SendAsync(request, deadline, system: false, votes: null, cancellationToken) is null ? null : time.GetTimestamp();
    }

    /// <summary>
    /// Sends a system request (signed by whoever makes it) and returns the reply Q members agreed on (any status: a
    /// refusal at the door counts), or null at <paramref name="deadline"/>. With <paramref name="votes"/>, a JOIN: an
    /// approving reply counts only if its vote verifies with the sender's key of the client's view, and the votes are
    /// collected there.
    /// </summary>
    public Task<ReplyMessage?> SubmitSystemAsync(SignedRequest request, long deadline, Dictionary<int, ReadOnlyMemory<byte>>? votes) =>
        SendAsync(request, deadline, system: true, votes, CancellationToken.None);

    private async Task<ReplyMessage?> SendAsync(SignedRequest request, long deadline, bool system, Dictionary<int, ReadOnlyMemory<byte>>? votes,
        CancellationToken cancellationToken)
    {
        _waitingFor = request.Digest;
        _answers.Clear();
        _ahead.Clear();
        _system = system;
        _votes = votes;
        var done = new TaskCompletionSource<ReplyMessage>(); // completed on the simulator's thread: WaitAsync continues there too
        _done = done;
        ReadOnlyMemory<byte> bytes = request.Encoded;
        while (time.GetTimestamp() < deadline)
        {
            if (_wantView > View.Id)
            {
                await AskForViewsAsync(); // the last question (or its answer) was lost
            }

            foreach (ReplicaMember member in View.Members)
            {
                if (Link(member.Id) is { } link)
                {
                    await link.SendAsync(FrameType.Request, bytes, flush: true, cancellationToken);
                }
            }

            try
            {
                ReplyMessage reply = await done.Task.WaitAsync(TimeSpan.FromSeconds(1), time, cancellationToken);
                if (reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate)
                {
                    Acknowledged.Add((reply.Digest, reply.Block, reply.Instance));
                }

                _done = null;
                return reply;
            }
            catch (TimeoutException)
            {
            }
        }

        _done = null;
        return null;
    }

    private SimFrameLink? Link(int replica)
    {
        if (_links.TryGetValue(replica, out SimFrameLink? link) && !link.Closed)
        {
            return link;
        }

        if (network.PortOf(replica) is not { } port)
        {
            return null;
        }

        link = port.Connect(100 + (10 * index) + replica, key.PublicKey, replicaKey(replica));
        _links[replica] = link;
        _ = ReceiveAsync(replica, link);
        return link;
    }

    private async Task ReceiveAsync(int replica, SimFrameLink link)
    {
        try
        {
            while (await link.ReceiveAsync(CancellationToken.None) is { } frame)
            {
                if (frame.Type == FrameType.Reply)
                {
                    Offer(replica, ReplyMessage.Decode(frame.Payload.Span));
                }
                else if (frame.Type == FrameType.QueryResult)
                {
                    Answered(QueryResultMessage.Decode(frame.Payload.Span));
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
    }

    private void Offer(int replica, ReplyMessage reply)
    {
        if (reply.Digest != _waitingFor || _done is not { } done)
        {
            return;
        }

        if (reply.ViewId > View.Id)
        {
            // From a later view: its receipt and its vote are checked once the client has followed to that view.
            _ahead.Add((replica, reply));
            _wantView = Math.Max(_wantView, reply.ViewId);
            _ = AskForViewsAsync();
            return;
        }

        bool executed = reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate;
        if (!View.Contains(replica) || (!executed && !_system))
        {
            return;
        }

        if (executed && !reply.Receipt.IsEmpty && _votes is null)
        {
            if (Receipts.Check(reply) is { } problem)
            {
                BadReceipts.Add($"replica {replica}, block {reply.Block}: {problem}");
                return;
            }

            done.TrySetResult(reply);
            return;
        }

        if (executed && _votes is not null && !VoteCounts(replica, reply))
        {
            return;
        }

        _answers[replica] = reply;
        foreach (ReplyMessage answer in _answers.Values)
        {
            if (_answers.Values.Count(a => a.Matches(answer)) >= View.Q)
            {
                done.TrySetResult(answer);
                return;
            }
        }
    }

    // As the real client counts a JOIN's reply: an approval counts only with a vote that verifies with the sender's key of
    // the view the record names, so one bad vote cannot stall the joiner.
    private bool VoteCounts(int replica, ReplyMessage reply)
    {
        if (SystemResult.TryDecode(reply.Result.Span, out _) is not { Code: SystemResultCode.Approved, Record: ApprovalRecord record })
        {
            return true;
        }

        if (record.ViewId != View.Id || !View.TryGetMember(replica, out ReplicaMember? member) || member is null ||
            !Ed25519.Verify(member.ViewKey.Key, record.Encode(), reply.Attestation.Span))
        {
            return false;
        }

        _votes![replica] = reply.Attestation;
        return true;
    }

    // Asks every linked replica for the proofs of the views after the client's own.
    private async Task AskForViewsAsync()
    {
        byte[] query = new QueryMessage(++_query, ViewQuery.After(View.Id)).Encode();
        foreach (SimFrameLink link in _links.Values.ToList())
        {
            if (!link.Closed)
            {
                await link.SendAsync(FrameType.Query, query, flush: true, CancellationToken.None);
            }
        }
    }

    private void Answered(QueryResultMessage answer)
    {
        if (answer.QueryId != _query || answer.ViewId <= View.Id)
        {
            return;
        }

        IReadOnlyList<TransactionReceipt> proofs;
        try
        {
            proofs = ViewQuery.DecodeAnswer(answer.Body.Span);
        }
        catch (Core.Encoding.EncodingException)
        {
            return;
        }

        // What verified is kept even if a later proof fails: a bad proof from one replica cannot undo the others.
        _ = ViewChain.Follow(View, genesis.ChainId, proofs, out View reached, (proof, next) => _history.Add(proof.Header.Number, next));
        if (reached.Id <= View.Id)
        {
            return;
        }

        View = reached;
        ViewChanges++;
        foreach (int replica in _links.Keys.Where(r => !reached.Contains(r)).ToList())
        {
            _links.Remove(replica, out SimFrameLink? gone);
            gone!.Close();
            _answers.Remove(replica);
        }

        List<(int Replica, ReplyMessage Reply)> ahead = [.. _ahead];
        _ahead.Clear();
        foreach ((int replica, ReplyMessage reply) in ahead)
        {
            Offer(replica, reply);
        }

        // New members are dialled (and the request resent to them) by the next round of the send loop.
    }
}
