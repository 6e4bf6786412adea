using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Node.Gateway;
using SmartChain.Node.Views;

namespace SmartChain.Node.Ordering;

/// <summary>
/// The consensus driver, on its dedicated thread: the inputs queued at once into the core (<see cref="ConsensusInputs"/>
/// decides their order), then its Ready handled once for them, in order — votes fsynced, then messages sent, then
/// decisions handed to execution. It alone touches the core, the vote log and the state of the driver (hold-decisions while a transfer
/// runs, the view barrier clock, regency-change counts, far-ahead senders); others read it through the
/// <see cref="ConsensusStatus"/> it publishes.
/// </summary>
internal sealed partial class ConsensusDriver : IDisposable
{
    private readonly ReplicaCore _core;
    private readonly VoteLog _votes;
    private readonly ConsensusInputs _inputs;
    private readonly IReplicaLinks _network;
    private readonly ViewSigner _signer;
    private readonly ChannelWriter<ExecutionItem> _execution;
    private readonly ChannelWriter<LedgerInput> _ledger;
    private readonly Func<long> _durableConsensusId;
    private ProposalPatience _patience = new(TimeProvider.System, int.MaxValue); // replaced by Start, on the replica's clock
    private ITimer? _proposalDue; // wakes the loop when a held proposal's wait is over; made by Start, on the replica's clock
    private bool _proposalDueArmed; // armed once per wait: a wait's first deadline is its earliest, and each firing re-arms
    private readonly ReplyRegistry _replies;
    private readonly Func<bool> _requestTransfer;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _log;
    private readonly DedicatedThread? _thread; // null when the platform supplies the context
    private readonly SynchronizationContext _context;
    // Inputs fed to the core before its Ready is handled even if more are queued: at a few to a hundred microseconds
    // each (a vote's signature check), a few milliseconds at most before this replica's own votes leave.
    private const int ActAfter = 32;
    private readonly Dictionary<string, long> _regencyChangesCounted = [];
    private readonly HashSet<int> _seenFarAhead = [];
    private long _barrierSince;
    private long _lastHandedOver; // the newest decided instance handed to execution (asserted increasing)
    private bool _holdDecisions;
    // Answers to client requests taken in the current burst (decided already, or refused). They go to execution after the
    // burst's decisions: a request whose deciding votes came in the same burst is answered from the block that holds it,
    // which the ledger knows of only once that decision went ahead of the answer.
    private readonly List<ExecutionItem> _answers = [];
    private ConsensusStatus _status;

    // Client requests one or a few instances ahead of this replica's decisions, submitted again once it has decided them.
    private readonly AheadRequests _ahead = new();
    private readonly List<NodeInput.ClientRequest> _due = [];
    private readonly List<NodeInput.ClientRequest> _expired = [];
    private long _ticks;
    private long _heldAhead;

    /// <summary>
    /// A driver for <paramref name="core"/> (recovered, its votes restored); <paramref name="durableConsensusId"/> says
    /// which votes the ledger made unnecessary, and <paramref name="requestTransfer"/> starts a state transfer if none runs
    /// (true if it did).
    /// </summary>
    public ConsensusDriver(int id, ReplicaCore core, VoteLog votes, ConsensusInputs inputs, IReplicaLinks network, ViewSigner signer,
        ChannelWriter<ExecutionItem> execution, ChannelWriter<LedgerInput> ledger, Func<long> durableConsensusId, ReplyRegistry replies,
        Func<bool> requestTransfer, NodeMetrics metrics, ILogger log, SynchronizationContext? context = null)
    {
        _core = core;
        _votes = votes;
        _inputs = inputs;
        _network = network;
        _signer = signer;
        _execution = execution;
        _ledger = ledger;
        _durableConsensusId = durableConsensusId;
        _replies = replies;
        _requestTransfer = requestTransfer;
        _metrics = metrics;
        _log = log;
        if (context is null)
        {
            _thread = new DedicatedThread($"replica{id}-consensus");
        }

        _context = context ?? _thread!;
        _status = Describe(core.Status);
    }

    /// <summary>The latest status; read from any thread.</summary>
    public ConsensusStatus Status => Volatile.Read(ref _status);

    /// <summary>Fsyncs of the vote log so far (read from any thread).</summary>
    public long VoteFsyncs => _votes.Fsyncs;

    /// <summary>The managed id of the one thread that runs the consensus core.</summary>
    public int ThreadId => _thread?.ManagedThreadId ?? -1;

    /// <summary>
    /// Starts the loop with the consensus clock's tick every <paramref name="tickMs"/>. On the dedicated thread the tick
    /// comes from that thread itself (no timer or pool thread wakes it for a tick); in the platform's context (the
    /// simulator) from a timer on the platform's clock. The task ends when the inputs end or <paramref name="stop"/> is
    /// cancelled, and faults if a write or an invariant fails.
    /// </summary>
    public Task Start(int tickMs, TimeProvider time, CancellationToken stop)
    {
        _patience = new ProposalPatience(time, _core.MaxBatch);
        _proposalDue = time.CreateTimer(static inputs => ((ConsensusInputs)inputs!).ProposalDue(), _inputs, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (_thread is { } thread)
        {
            thread.Beat(TimeSpan.FromMilliseconds(tickMs), _inputs.Tick);
            return thread.Run(() => RunAsync(stop));
        }

        return RunWithTimerAsync(tickMs, time, stop);
    }

    // The ticks end with the loop, so a loop that fails is seen at once, not when the replica stops.
    private async Task RunWithTimerAsync(int tickMs, TimeProvider time, CancellationToken stop)
    {
        using var ticking = CancellationTokenSource.CreateLinkedTokenSource(stop);
        Task ticks = TickAsync(tickMs, time, ticking.Token);
        try
        {
            await RunInContextAsync(stop);
        }
        finally
        {
            ticking.Cancel();
            await ticks;
        }
    }

    private async Task TickAsync(int tickMs, TimeProvider time, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(tickMs), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                _inputs.Tick();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Ends the thread and closes the vote log; after the loop has ended.</summary>
    public void Dispose()
    {
        _proposalDue?.Dispose();
        _thread?.Dispose();
        _votes.Dispose();
    }

    // Drain, then act: inputs that arrived together are all fed to the core (proposals held), and the core's Ready is
    // handled once for them: one vote-log fsync, one round of sends, one proposal carrying every request they brought.
    // It is handled when the queues are empty, after ActAfter inputs at most (so a long burst does not hold back a
    // vote), and around every input of state transfer or a view change, whose order against decisions matters.
    private async Task RunAsync(CancellationToken stop)
    {
        int taken = 0;
        bool ticked = false;
        await foreach (NodeInput input in _inputs.ReadAllAsync(stop))
        {
            ThreadInvariant();
            if (input is NodeInput.Drained)
            {
                if (taken > 0)
                {
                    await ActAsync(ticked, stop);
                    taken = 0;
                    ticked = false;
                }

                continue;
            }

            bool ordinary = input is NodeInput.Tick or NodeInput.PeerMessage or NodeInput.ClientRequest or NodeInput.ProposalDue;
            if (!ordinary && taken > 0)
            {
                await ActAsync(ticked, stop);
                taken = 0;
                ticked = false;
            }

            if (taken == 0 && ordinary)
            {
                _core.HoldProposals();
            }

            await TakeAsync(input, stop);
            taken++;
            ticked |= input is NodeInput.Tick;
            if (!ordinary || taken >= ActAfter)
            {
                await ActAsync(ticked, stop);
                taken = 0;
                ticked = false;
            }
        }
    }

    private async Task ActAsync(bool ticked, CancellationToken stop)
    {
        SubmitDue(); // before the proposals are released, so the next one carries them
        bool couldPropose = _core.CouldPropose(out int pooled);
        if (_patience.Hold(couldPropose, pooled, _core.LastDecided, out TimeSpan lookAgainIn))
        {
            if (!_proposalDueArmed) // proposals stay held in the core meanwhile
            {
                _proposalDue?.Change(lookAgainIn, Timeout.InfiniteTimeSpan);
                _proposalDueArmed = true;
            }
        }
        else
        {
            _core.ReleaseProposals();
            _proposalDueArmed = false; // the next wait re-arms the timer (Change replaces a pending deadline)
        }

        await HandleReadyAsync(_core.TakeReady(), stop);
        foreach (ExecutionItem answer in _answers)
        {
            await _execution.WriteAsync(answer, stop);
        }

        _answers.Clear();
        Publish(ticked);
    }

    private async Task TakeAsync(NodeInput input, CancellationToken stop)
    {
        switch (input)
        {
            case NodeInput.ProposalDue:
                _proposalDueArmed = false; // the act that follows looks at the held proposal again, and re-arms if it still waits
                break;
            case NodeInput.Tick:
                _ticks++;
                _inputs.ReportMalformed(_core);
                _core.Tick();
                break;
            case NodeInput.PeerMessage peer:
                _network.Release(peer.From, peer.Bytes);
                // While state transfer runs, the core decides only what the transfer hands it: votes and
                // decisions of peers (even valid ones, such as votes a peer queued while this replica was
                // down) wait; peers retransmit once the transfer ends.
                if (!_holdDecisions || peer.Message is Fetch)
                {
                    _core.Step(peer.From, peer.Message);
                }

                break;
            case NodeInput.ClientRequest client:
                Submit(client);
                break;
            case NodeInput.ViewResolved resolved:
                _core.ResumeAfter(resolved.Instance, resolved.View, _signer.KeyFor(resolved.View));
                if (_barrierSince != 0)
                {
                    // How long ordering waited for this replica's own execution of the view-changing instance.
                    double waited = Stopwatch.GetElapsedTime(_barrierSince).TotalMilliseconds;
                    _metrics.ViewBarrier.Record(waited);
                    _barrierSince = 0;
                    string line = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"ordering resumed after instance {resolved.Instance} in {resolved.View} ({waited:0.0} ms at the barrier)");
                    NodeLog.ViewChange(_log, line);
                }

                break;
            default:
                await OnTransferInputAsync(input, stop);
                break;
        }
    }

    // Replaced when what others read changed, and at every tick (the pool size moves without it). The status line is
    // formatted at ticks only, so a decision costs one small object and no string; the line is at most a tick old.
    private void Publish(bool tick)
    {
        ConsensusStatus current = _status;
        if (tick || current.Regency != _core.Regency || current.LastDecided != _core.LastDecided || !ReferenceEquals(current.View, _core.View))
        {
            Volatile.Write(ref _status, Describe(tick ? _core.Status : current.Line));
        }
    }

    private ConsensusStatus Describe(string line) => new(_core.Regency, _core.Leader, _core.LastDecided, _core.View, _core.PendingRequests, line);

    // Replies never leave from this thread: anything that must answer a client goes through the execution loop,
    // which hands it to the client's own send queue, after the decisions of the same burst (see _answers).
    private void Submit(NodeInput.ClientRequest client)
    {
        SignedRequest request = client.Request;
        if (client.DoorRefusal is { } refusal)
        {
            // Refused at the door: answered as decided if it is (a retransmission gets its cached reply), else refused.
            ExecutionItem door = _core.Clients.HighestDecided(request.Client) >= request.Sequence
                ? new ExecutionItem.Repeated(request, client.Session)
                : new ExecutionItem.Refused(request, client.Session, refusal);
            _answers.Add(door);
            return;
        }

        PoolAddResult result = _core.Submit(request);
        if (result == PoolAddResult.OutsideWindow && request.NotBefore > _core.LastDecided && _ahead.TryHold(client, _core.LastDecided, _ticks))
        {
            long held = ++_heldAhead;
            if ((held & (held - 1)) == 0)
            {
                NodeLog.BadInput(_log, $"held a request whose not-before {request.NotBefore} is ahead of this replica's last decided instance {_core.LastDecided} until it is decided", held);
            }

            return;
        }

        ExecutionItem? answer = result switch
        {
            // Not a member yet (a joiner catching up) or any more: it orders nothing, but it answers the request if it
            // executes it (a JOIN needs the votes of new members too, once they have caught up).
            PoolAddResult.Added or PoolAddResult.AlreadyPending or PoolAddResult.NotMember => null,
            PoolAddResult.AlreadyDecided => new ExecutionItem.Repeated(request, client.Session),
            PoolAddResult.ConflictingSequence => new ExecutionItem.Refused(request, client.Session,
                $"another request of this client with sequence {request.Sequence} is pending; use a new sequence"),
            PoolAddResult.OutsideWindow => new ExecutionItem.Refused(request, client.Session, OutsideWindow(request)),
            _ => new ExecutionItem.Refused(request, client.Session, $"busy ({result}); retry later"),
        };
        if (answer is null)
        {
            _replies.Track(request.Digest, client.Session);
        }
        else
        {
            _answers.Add(answer);
        }
    }

    // Held requests whose instance is now decided go to the pool; those held too long are refused as they would have been.
    private void SubmitDue()
    {
        if (_ahead.Count == 0)
        {
            return;
        }

        _ahead.Take(_core.LastDecided, _ticks, _due, _expired);
        foreach (NodeInput.ClientRequest due in _due)
        {
            Submit(due);
        }

        foreach (NodeInput.ClientRequest expired in _expired)
        {
            _answers.Add(new ExecutionItem.Refused(expired.Request, expired.Session, OutsideWindow(expired.Request)));
        }

        _due.Clear();
        _expired.Clear();
    }

    // Expired for good, or ahead of what this replica has decided (it may be behind: the client may retry).
    private string OutsideWindow(SignedRequest request)
    {
        long next = _core.LastDecided + 1;
        long window = _core.Clients.Window;
        return request.NotBefore >= next
            ? $"not-before {request.NotBefore} is ahead of this replica's last decided instance {next - 1}; retry, or name an instance the network has decided"
            : $"expired: not-before {request.NotBefore} is more than {window} instances before instance {next}; sign again naming a recent instance";
    }

    // The core counts leader-change causes; the metrics get the increments (read here, on the core's own thread).
    private void CountRegencyChanges()
    {
        foreach ((string cause, long count) in _core.RegencyChanges)
        {
            long counted = _regencyChangesCounted.GetValueOrDefault(cause);
            if (count > counted)
            {
                _metrics.RegencyChanges.Add(count - counted, new KeyValuePair<string, object?>("cause", cause));
                _regencyChangesCounted[cause] = count;
            }
        }
    }

    // Checked in Release too: the core is single-threaded by contract.
    private void ThreadInvariant()
    {
        if (!ReferenceEquals(SynchronizationContext.Current, _context))
        {
            throw new InvalidOperationException($"the consensus core ran on thread {Environment.CurrentManagedThreadId}, not on its own thread");
        }
    }

    // The loop started from inside the platform's context, so each of its awaits resumes there.
    private async Task RunInContextAsync(CancellationToken stop)
    {
        var started = new TaskCompletionSource<Task>(TaskCreationOptions.RunContinuationsAsynchronously);
        _context.Post(_ =>
        {
            try
            {
                started.TrySetResult(RunAsync(stop));
            }
            catch (Exception e)
            {
                started.TrySetException(e);
            }
        }, null);
        await await started.Task;
    }
}

