using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// The synchronization phase (SPEC §3): a replica with work pending and no progress for a timeout sends STOP for the
/// next regency; f+1 STOPs make it join, Q install the regency. Each replica sends the new leader a signed STOPDATA
/// (last decision, write certificate for the open instance); the leader picks, from Q of them, the batch of the
/// highest-regency valid write certificate (the only batch that may have been decided), or none, and sends SYNC
/// with the STOPDATAs. Every replica re-derives the choice and refuses a SYNC that does not follow, asking for the
/// next regency. A proof or certificate that fails verification is never used.
/// </summary>
public sealed partial class ReplicaCore
{
    private const int MaxRegencyLead = 16;
    private readonly Dictionary<int, HashSet<int>> _stops = [];
    private readonly Dictionary<int, StopData> _stopDatas = [];
    private int _stopSent;
    private bool _synced = true;
    private WriteCertificate? _myCertificate;
    private Sync? _pendingSync;
    private Sync? _lastSync;
    private StopData? _myStopData;
    private long _ticks;
    private long _progressAt;
    private int _failedRegencies;

    /// <summary>Regency changes so far, by cause ("timeout", "joined", "leader-removed"), for metrics.</summary>
    public IReadOnlyDictionary<string, long> RegencyChanges => _regencyChanges;

    private readonly Dictionary<string, long> _regencyChanges = [];

    private readonly Queue<(SignedRequest Request, long Tick)> _arrivals = new();
    private long _regencyStart;

    // Per-request timers, kept as one queue in arrival order: the oldest request still pending sets the clock, so a
    // leader that keeps ordering others' requests but never one client's (censorship) is suspected all the same.
    private void Arrived(SignedRequest request) => _arrivals.Enqueue((request, _ticks));

    private long? OldestPending()
    {
        while (_arrivals.TryPeek(out var front) && !_pool.ContainsSame(front.Request))
        {
            _arrivals.Dequeue();
        }

        return _arrivals.TryPeek(out var oldest) ? oldest.Tick : null;
    }

    // Called on every tick. Idle time never counts against the leader, and each regency gets a full timeout.
    private void LeaderTimer()
    {
        _ticks++;
        long? oldest = OldestPending();
        if (oldest is null && _current.Proposal is null && _synced)
        {
            _progressAt = _ticks;
            return;
        }

        long start = Math.Max(_regencyStart, oldest ?? _progressAt);
        long waited = _ticks - start;
        long timeout = (long)_options.RequestTimeoutTicks << Math.Min(_failedRegencies, 6);
        if (waited == timeout / 2 && _pool.Count > 0)
        {
            // First expiry: pass the pending requests on, in case the leader never got them.
            Broadcast(new Forward(_view.Id, _current.Id, Regency, _pool.SelectBatch(_options.MaxBatch, _options.MaxBatchBytes)));
        }

        if (waited >= timeout && _stopSent <= Regency)
        {
            Count("timeout");
            SendStop(Regency + 1);
        }
    }

    private void Progressed()
    {
        _progressAt = _ticks;
        _failedRegencies = 0;
        _myCertificate = null;
    }

    private void SendStop(int regency)
    {
        _stopSent = regency;
        Broadcast(new StopMessage(_view.Id, _current.Id, regency));
        OnStop(Id, regency);
    }

    private void OnStop(int from, int regency)
    {
        if (regency <= Regency || regency > Regency + MaxRegencyLead)
        {
            return;
        }

        if (!_stops.TryGetValue(regency, out HashSet<int>? senders))
        {
            senders = [];
            _stops.Add(regency, senders);
        }

        senders.Add(from);
        if (senders.Count >= _view.F + 1 && _stopSent < regency)
        {
            Count("joined");
            SendStop(regency);
            return;
        }

        if (senders.Count >= _view.Q)
        {
            Install(regency);
        }
    }

    private void Install(int regency)
    {
        Regency = regency;
        _synced = false;
        _failedRegencies++;
        _progressAt = _ticks;
        _regencyStart = _ticks;
        foreach (int old in _stops.Keys.Where(r => r <= regency).ToList())
        {
            _stops.Remove(old);
        }

        _stopDatas.Clear();
        _pendingSync = null;
        _current = Open(_current.Id);

        // Persist the regency (and so the signed STOPDATA's content) before the message leaves.
        _persist.Add(new VoteRecord(MessageType.Stop, _current.Id, regency, Hash256.Zero));
        WriteCertificate? certificate = CertificateFor(_current.Id);
        // A decision of an earlier view (the barrier's, before the first decision of this view) is proven by that view's
        // keys, which the leader checks against this view: it is left out, and the instance rests on the checker's own
        // LastDecided instead (every replica that passed the barrier decided it).
        DecisionMessage? last = _recent.TryGetValue(LastDecided, out Decision? d) && d.ViewId == _view.Id
            ? new DecisionMessage(_view.Id, d.Instance, d.Regency, d.Batch, d.Proof)
            : null;
        byte[] signature = _key!.Sign(StopData.Statement(_chainId, _view.Id, _current.Id, regency, certificate));
        var data = new StopData(_view.Id, _current.Id, regency, last, certificate, signature);
        _myStopData = data;
        if (Leader == Id)
        {
            OnStopData(Id, data);
        }
        else
        {
            _messages.Add(new OutboundMessage(Leader, data));
        }
    }

    // Senders proven to have lied in a STOPDATA or SYNC of a regency: what they send again for it is dropped unchecked,
    // so a flood of half-valid messages costs signature checks once per (sender, regency, kind), not per copy. Only
    // regencies from the current one to MaxRegencyLead ahead are kept.
    private readonly HashSet<(int From, int Regency, MessageType Kind)> _liedIn = [];

    private bool LiedBefore(int from, int regency, MessageType kind) => _liedIn.Contains((from, regency, kind));

    private void RememberLie(int from, int regency, MessageType kind)
    {
        _liedIn.RemoveWhere(e => e.Regency < Regency);
        _liedIn.Add((from, regency, kind));
    }

    private void OnStopData(int from, StopData data)
    {
        if (data.Regency != Regency || Leader != Id || _synced || _stopDatas.ContainsKey(from) || LiedBefore(from, data.Regency, MessageType.StopData))
        {
            return;
        }

        if (UnprovenInstance(from, data) is { } unproven)
        {
            Reject(from, "unproven-instance", unproven, evidence: false);
            return;
        }

        if (CheckStopData(from, data) is { } problem)
        {
            Reject(from, "invalid-stopdata", problem, evidence: true);
            RememberLie(from, data.Regency, MessageType.StopData);
            return;
        }

        _stopDatas[from] = data;
        if (_stopDatas.Count < _view.Q)
        {
            return;
        }

        List<(int, StopData)> datas = [.. _stopDatas.Select(kv => (kv.Key, kv.Value)).OrderBy(x => x.Key)];
        (long instance, WriteCertificate? chosen) = Choose(datas.Select(x => x.Item2));
        var sync = new Sync(_view.Id, instance, Regency, datas, chosen?.Batch ?? []);
        _lastSync = sync;
        Broadcast(sync);
        OnSync(Id, sync);
    }

    private void OnSync(int from, Sync sync)
    {
        if (sync.Regency < Regency || (sync.Regency == Regency && _synced) || from != LeaderOf(sync.Regency) || LiedBefore(from, sync.Regency, MessageType.Sync))
        {
            return;
        }

        // Bounded before anything is verified: a SYNC further ahead cannot be told from a lie without Q signature checks
        // per regency, and the regency would be far beyond anything the correct replicas asked for.
        if (sync.Regency > Regency + MaxRegencyLead)
        {
            Reject(from, "too-far-ahead", $"SYNC for regency {sync.Regency}; the current regency is {Regency} (at most {MaxRegencyLead} ahead)", evidence: false);
            return;
        }

        // An invalid SYNC moves nothing: no STOP, no timer. Before, it answered with STOP(R+1) for the SYNC's regency R,
        // which a Byzantine leader of a far regency used to switch off this replica's timeout and joining for good. If
        // it came from the current leader, the unsynced regency times out like any other.
        if (CheckSync(sync) is ({ } problem, bool evidence))
        {
            Reject(from, evidence ? "invalid-sync" : "unproven-sync", problem, evidence);
            if (evidence)
            {
                RememberLie(from, sync.Regency, MessageType.Sync);
            }

            return;
        }

        if (sync.Regency > Regency)
        {
            // Q replicas signed STOPDATAs for this regency: it is installed, whether or not this replica saw the STOPs.
            Regency = sync.Regency;
            _current = Open(_current.Id);
            _persist.Add(new VoteRecord(MessageType.Stop, _current.Id, Regency, Hash256.Zero));
        }

        _synced = true;
        _stopDatas.Clear();
        _progressAt = _ticks;
        _regencyStart = _ticks;

        // Pending before catching up: the decision below opens the SYNC's instance, and its choice must be proposed
        // there before anything from the pool (seed 3309 of the swarm caught a new leader proposing its own batch).
        _pendingSync = sync;
        foreach ((int _, StopData data) in sync.StopDatas)
        {
            if (data.LastDecision is { } d && d.Instance == _current.Id && d.Instance < sync.Instance)
            {
                Decide(d.Batch, BatchHash.Compute(d.Batch), d.Regency, d.Proof);
                break;
            }
        }

        ApplySync();
    }

    // Runs when this replica's open instance is the SYNC's: the chosen batch is proposed in the new regency.
    private void ApplySync()
    {
        if (_pendingSync is not { } sync || sync.Regency != Regency || _current.Id < sync.Instance)
        {
            return;
        }

        _pendingSync = null;
        if (_current.Id == sync.Instance && sync.Batch.Count > 0 && _current.Proposal is null)
        {
            var propose = new Propose(_view.Id, sync.Instance, Regency, sync.Batch);
            if (Leader == Id)
            {
                _current.MyPropose = propose;
            }

            AcceptProposal(propose, BatchHash.Compute(sync.Batch));
        }

        MaybePropose();
    }

    private void KeepCertificate(Hash256 hash)
    {
        var writes = new List<(int, ReadOnlyMemory<byte>)>();
        foreach ((int replica, Write write) in _current.Writes)
        {
            if (write.BatchHash == hash)
            {
                writes.Add((replica, write.Signature));
            }
        }

        _myCertificate = new WriteCertificate(_current.Id, Regency, hash, _current.Proposal!.Batch, writes);
    }

    // Forwarded requests join the pool like a client's own, after the same verification.
    private void OnForward(int from, Forward forward)
    {
        if (forward.Batch.Count > _options.MaxBatch)
        {
            Reject(from, "invalid-forward", $"FORWARD of {forward.Batch.Count} requests; at most {_options.MaxBatch}", evidence: true);
            return;
        }

        foreach (SignedRequest request in forward.Batch)
        {
            if (_clients.IsDecided(request.Client, request.Sequence) || _pool.ContainsSame(request))
            {
                continue;
            }

            if (!_verifyRequest(request))
            {
                Reject(from, "invalid-forward", $"FORWARD of {request}, which fails verification", evidence: true);
                return;
            }

            if (_pool.Add(request, _clients) == PoolAddResult.Added)
            {
                Arrived(request);
            }
        }

        MaybePropose();
    }

    private void Count(string cause) => _regencyChanges[cause] = _regencyChanges.GetValueOrDefault(cause) + 1;

    // Leader change messages may be lost like any other: each side repeats its part until the regency is synced.
    private void RetransmitSync()
    {
        if (_stopSent > Regency)
        {
            Broadcast(new StopMessage(_view.Id, _current.Id, _stopSent));
        }

        if (_synced)
        {
            if (_lastSync is { } sync && sync.Regency == Regency && _current.Id == sync.Instance && Leader == Id)
            {
                Broadcast(sync);
            }

            return;
        }

        // Peers that installed this regency late need Q STOPs too, and the leader needs this replica's STOPDATA.
        Broadcast(new StopMessage(_view.Id, _current.Id, Regency));
        if (_myStopData is { } data && data.Regency == Regency && Leader != Id)
        {
            _messages.Add(new OutboundMessage(Leader, data));
        }
    }
}
