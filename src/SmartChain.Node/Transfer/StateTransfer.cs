using System.Diagnostics;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;

namespace SmartChain.Node.Transfer;

/// <summary>
/// Brings a replica that is far behind (restarted, lagging, or with an empty data folder) to the tip without trusting
/// any single peer (SPEC §6): it learns the tip as a certified header from up to n − 1 peers, fetches the newest
/// checkpoint's snapshot from one replica and checks it against the certified checkpoint block, and streams the blocks
/// it lacks in ranges from several replicas at once, checking every block (number, link, roots, certificate) before
/// it is applied. A source that sends anything that does not verify, sends nothing, or sends what nobody asked for is
/// dropped with the reason, and its range goes to another. Memory stays bounded: snapshots stream to a file, and
/// blocks wait in memory only until they are durable. One instance runs one transfer.
/// </summary>
internal sealed partial class StateTransfer
{
    private readonly GenesisDocument _genesis;
    private readonly int _self;
    private readonly Action<int, TransferMessage> _send;
    private readonly ITransferTarget _target;
    private readonly TransferOptions _options;
    private readonly Action<string> _log;
    private readonly Action<int, string> _onDropped;
    private readonly TransferVerifier _verifier;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, (TransferMessage Request, TaskCompletionSource<TransferMessage> Answer)> _waiting = [];
    private readonly Dictionary<int, string> _dropped = [];
    private readonly Dictionary<int, int> _unsolicited = [];
    // Per peer, the tip request last sent again and how many extra answers to it are still expected: those are asked for,
    // not unsolicited. Only answers carrying that request's id are excused, so a peer cannot bank credits for later.
    private readonly Dictionary<int, (ulong RequestId, int Extra)> _askedAgain = [];
    private long _nextRequestId; // random: not reused by a later incarnation
    private readonly TimeProvider _time;
    private long _blocks;
    private long _blockBytes;
    private long _snapshotBytes;

    public StateTransfer(GenesisDocument genesis, int self, Action<int, TransferMessage> send, ITransferTarget target, TransferOptions options,
        Action<string> log, Action<int, string> onDropped, ReplicaPlatform platform)
    {
        _time = platform.Time;
        _nextRequestId = platform.Random.NextInt64(long.MaxValue / 2);
        _genesis = genesis;
        _self = self;
        _send = send;
        _target = target;
        _options = options;
        _log = log;
        _onDropped = onDropped;
        _verifier = new TransferVerifier(genesis, target.Views);
    }

    /// <summary>Sources dropped so far, with the reason.</summary>
    public IReadOnlyDictionary<int, string> Dropped
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<int, string>(_dropped);
            }
        }
    }

    /// <summary>An answer from replica <paramref name="from"/>; anything not asked for is counted against it.</summary>
    public void Deliver(int from, TransferMessage message)
    {
        lock (_gate)
        {
            if (_dropped.ContainsKey(from))
            {
                return;
            }

            if (_waiting.TryGetValue(from, out var pending) && pending.Request.RequestId == message.RequestId && Answers(pending.Request, message))
            {
                _waiting.Remove(from);
                pending.Answer.TrySetResult(message);
                return;
            }

            if (message is TransferMessage.Tip && _askedAgain.TryGetValue(from, out var again) && again.RequestId == message.RequestId)
            {
                // A late answer to a tip request this replica sent more than once: it asked for it.
                if (again.Extra > 1)
                {
                    _askedAgain[from] = (again.RequestId, again.Extra - 1);
                }
                else
                {
                    _askedAgain.Remove(from);
                }

                return;
            }

            int count = _unsolicited[from] = _unsolicited.GetValueOrDefault(from) + 1;
            if (count <= _options.MaxUnsolicited)
            {
                return;
            }
        }

        Drop(from, $"sent more than {_options.MaxUnsolicited} state-transfer answers that nobody asked for");
    }

    /// <summary>Transfers until this replica is within the catch-up threshold of the certified tip (or the rounds run out).</summary>
    /// <exception cref="TransferException">No source could serve what was needed; the message lists the dropped sources and why.</exception>
    public async Task<TransferResult> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        long? installed = null;
        for (int round = 1; round <= _options.MaxRounds; round++)
        {
            Dictionary<int, BlockHeader> tips = await CollectTipsAsync(cancellationToken);
            (long head, Hash256 headHash) = _target.Head;
            if (tips.Count == 0)
            {
                return Result($"no peer answered with a verifiable tip; staying at block {head}", installed, clock) with { NoVerifiableTip = true };
            }

            BlockHeader tip = tips.Values.MaxBy(h => h.Number)!;

            // FETCH only runs within the view a replica is in: one whose state is of an older view than the tip's (wiped,
            // or down across a reconfiguration) cannot close any gap that way, so it transfers all the way. That holds
            // too when the tip itself installs the later view: the tip is certified by the old view, but the members
            // have moved on and no longer order in it.
            long tipView = _target.Views.CertifyingView(tip, out _)?.Id ?? 0;
            bool laterViewByTip = false;
            foreach ((long block, _) in _target.Views.After(_target.InViewId))
            {
                laterViewByTip |= block <= tip.Number;
            }

            long threshold = tipView > _target.InViewId || laterViewByTip ? 0 : _options.CatchUpThreshold;
            if (tip.Number <= head + threshold)
            {
                return Result(round == 1 ? $"at block {head}, within {threshold} blocks of the certified tip {tip.Number}; nothing to transfer"
                    : $"reached block {head}; the certified tip is {tip.Number}", installed, clock);
            }

            _log($"state transfer round {round}: this replica is at block {head}; the certified tip is block {tip.Number} " +
                $"(tips: {string.Join(", ", tips.OrderBy(t => t.Key).Select(t => $"replica {t.Key} at {t.Value.Number}"))})");
            installed = await TransferToAsync(tip, tips, head, headHash, cancellationToken) ?? installed;
        }

        return Result($"stopped after {_options.MaxRounds} rounds at block {_target.Head.Number}; FETCH closes the rest", installed, clock);
    }

    private TransferResult Result(string summary, long? checkpoint, Stopwatch clock)
    {
        long blocks = Interlocked.Read(ref _blocks);
        string line = blocks == 0 && checkpoint is null ? summary
            : $"{summary}; {blocks} blocks ({Interlocked.Read(ref _blockBytes) / 1e6:0.0} MB) and {Interlocked.Read(ref _snapshotBytes) / 1e6:0.0} MB of snapshot in {clock.Elapsed.TotalSeconds:0.0} s";
        return new TransferResult(blocks, Interlocked.Read(ref _blockBytes), Interlocked.Read(ref _snapshotBytes), checkpoint, _target.Head.Number, clock.Elapsed, line);
    }

    private async Task<Dictionary<int, BlockHeader>> CollectTipsAsync(CancellationToken cancellationToken)
    {
        var asked = new Dictionary<Task<TransferMessage?>, int>();
        long knownView = _target.KnownViewId;
        foreach (int peer in _target.Peers)
        {
            if (peer != _self && !IsDropped(peer))
            {
                asked.Add(RequestAsync(peer, new TransferMessage.TipRequest(knownView), _options.TipWait, cancellationToken, _options.TipAskAgain), peer);
            }
        }

        var tips = new Dictionary<int, BlockHeader>();
        int wanted = _target.TipQuorum;
        Task? grace = null;
        while (asked.Count > 0)
        {
            Task<TransferMessage?>[] pending = [.. asked.Keys];
            Task done = grace is null ? await Task.WhenAny(pending) : await Task.WhenAny([.. pending, grace]);
            if (done == grace)
            {
                break; // Q − 1 peers answered; the others had their chance
            }

            var answered = (Task<TransferMessage?>)done;
            int from = asked[answered];
            asked.Remove(answered);
            if (await answered is TransferMessage.Tip tip)
            {
                if (_verifier.CheckTip(tip.Header, tip.Certificate, tip.Views) is { } bad)
                {
                    Drop(from, $"claimed a tip at {bad}");
                    continue;
                }

                tips[from] = tip.Header;
                if (tips.Count >= wanted && grace is null)
                {
                    // In context: a TimeProvider delay completes its continuations asynchronously, so WhenAny's
                    // promise on it would run on the thread pool (an escape under the simulator).
                    grace = Task.Delay(_options.TipGrace, _time, cancellationToken).InContext();
                }
            }
        }

        return tips;
    }

    // Sends `request` and waits up to `timeout` for its answer; with `askAgainEvery`, sends it again each time that passes
    // unanswered (a lost frame is not a silent peer). Null if no answer came in time or the source was dropped.
    private async Task<TransferMessage?> RequestAsync(int peer, TransferMessage request, TimeSpan timeout, CancellationToken cancellationToken,
        TimeSpan? askAgainEvery = null)
    {
        var answer = new TaskCompletionSource<TransferMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        request = request with { RequestId = (ulong)Interlocked.Increment(ref _nextRequestId) };
        lock (_gate)
        {
            _waiting[peer] = (request, answer);
        }

        _send(peer, request);
        long started = _time.GetTimestamp();
        try
        {
            while (true)
            {
                TimeSpan left = timeout - _time.GetElapsedTime(started);
                if (askAgainEvery is not { } every || every <= TimeSpan.Zero || left <= every)
                {
                    return await answer.Task.InContext().WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, _time, cancellationToken);
                }

                try
                {
                    return await answer.Task.InContext().WaitAsync(every, _time, cancellationToken);
                }
                catch (TimeoutException)
                {
                }

                lock (_gate)
                {
                    if (!_waiting.TryGetValue(peer, out var pending) || pending.Answer != answer)
                    {
                        continue; // answered or dropped meanwhile: the next wait returns that at once
                    }

                    _askedAgain[peer] = _askedAgain.TryGetValue(peer, out var again) && again.RequestId == request.RequestId
                        ? (request.RequestId, again.Extra + 1)
                        : (request.RequestId, 1);
                }

                _send(peer, request);
            }
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            lock (_gate)
            {
                if (_waiting.TryGetValue(peer, out var pending) && pending.Answer == answer)
                {
                    _waiting.Remove(peer);
                }
            }

            return null;
        }
    }

    private static bool Answers(TransferMessage request, TransferMessage answer) => (request, answer) switch
    {
        (TransferMessage.TipRequest, TransferMessage.Tip) => true,
        (TransferMessage.BlocksRequest, TransferMessage.Blocks or TransferMessage.Unavailable) => true,
        (TransferMessage.SnapshotRequest, TransferMessage.SnapshotChunk or TransferMessage.Unavailable) => true,
        _ => false,
    };

    private void Drop(int source, string reason)
    {
        lock (_gate)
        {
            if (!_dropped.TryAdd(source, reason))
            {
                return;
            }

            if (_waiting.Remove(source, out var pending))
            {
                pending.Answer.TrySetCanceled();
            }
        }

        _onDropped(source, reason);
    }

    private bool IsDropped(int source)
    {
        lock (_gate)
        {
            return _dropped.ContainsKey(source);
        }
    }

    private string DroppedSummary()
    {
        IReadOnlyDictionary<int, string> dropped = Dropped;
        return dropped.Count == 0 ? "no source was dropped" : "dropped: " + string.Join("; ", dropped.OrderBy(d => d.Key).Select(d => $"replica {d.Key}: {d.Value}"));
    }
}
