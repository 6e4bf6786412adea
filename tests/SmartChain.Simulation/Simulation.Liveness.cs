using SmartChain.Consensus;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Simulation;

/// <summary>
/// The liveness bound of docs/consensus.md, checked once the faults that end have ended (the bad period is over, the
/// crash happened, the whole cluster restarted); the faulty replicas that keep lying keep lying. Whenever a request
/// is held by every correct replica and no correct replica has decided it, the next decision by a correct replica
/// must follow within Σ_{i=0..a} T·2^min(k+i,6) + 3·RetransmitTicks + 6Δ ticks, where k is the largest number of
/// regencies a correct replica has failed since its last decision when the wait began and a = max(1, faulty ids)
/// (each faulty id can lead, and waste, one regency in a row; a = 1 is the documented
/// T·2^min(k,6) + T·2^min(k+1,6) + 3·RetransmitTicks + 6Δ). Δ is the largest delay, MaxDelayMs in ticks rounded up;
/// one more tick covers a wait that began between ticks.
/// </summary>
public sealed partial class Simulation
{
    private readonly Dictionary<Hash256, int> _holders = [];
    private readonly HashSet<Hash256> _pendingHeld = [];
    private readonly HashSet<Hash256> _decidedAny = [];
    private HashSet<Hash256>[]? _holds;
    private int[]? _regencyAtDecision;

    // Each replica's regency at its last decision (or restart, which returns its timeout to T), kept from the start:
    // regencies failed before the faults ended still count in k.
    private int[] RegencyAtDecision => _regencyAtDecision ??= new int[_replicas.Length];
    private long _stableAt = -1;
    private long _waitingSince = -1;
    private long _frontier;
    private long _waitingFrontier;
    private int _waitingK;
    private long _worstWaitTicks;
    private long _worstBoundTicks;
    private int _maxK;

    /// <summary>Liveness after the faults ended: the longest wait for a decision, its bound, and the largest k seen.</summary>
    private (long WaitTicks, long BoundTicks, int MaxK) Liveness => (_worstWaitTicks, _worstBoundTicks, _maxK);

    private bool Correct(int replica) => replica >= 0 && replica < _replicas.Length && !_config.IsFaulty(replica);

    /// <summary>The documented bound, in ticks, for a wait that began with <paramref name="k"/> failed regencies.</summary>
    public static long BoundTicks(SimulationConfig config, int retransmitTicks, int k)
    {
        int a = Math.Max(1, config.FaultyCount);
        long bound = 0;
        for (int i = 0; i <= a; i++)
        {
            bound += (long)config.RequestTimeoutTicks << Math.Min(k + i, 6);
        }

        long delta = (config.MaxDelayMs + config.TickMs - 1) / config.TickMs;
        return bound + (3L * retransmitTicks) + (6 * delta) + 1;
    }

    // Called on every tick: starts watching once every fault that ends has ended.
    private void CheckLiveness()
    {
        if (_stableAt >= 0)
        {
            return;
        }

        long stable = Math.Max(_config.BadPeriodMs, _config.CrashedReplica >= 0 ? _config.CrashAtMs : 0);
        if (_config.CrashAllAtMs >= 0)
        {
            if (!_crashedAll || _down.Any(d => d))
            {
                return;
            }

            stable = Math.Max(stable, _restartAt.Max());
        }

        if (_now < stable)
        {
            return;
        }

        _stableAt = _now;
        if (_pendingHeld.Count > 0)
        {
            StartWaiting();
        }
    }

    private void Restarted(int replica) => RegencyAtDecision[replica] = _replicas[replica].Regency;

    // The whole-cluster crash empties every pool: what was held is held again only once clients send it again.
    private void ForgetHeld()
    {
        _holds = null;
        _holders.Clear();
        _pendingHeld.Clear();
    }

    private void Held(int replica, SignedRequest request)
    {
        if (_holds is null && _config.CrashAllAtMs >= 0 && !_crashedAll)
        {
            return; // until the crash, held requests are forgotten anyway
        }

        _holds ??= [.. _replicas.Select(_ => new HashSet<Hash256>())];
        if (!Correct(replica) || _decidedAny.Contains(request.Digest) || !_holds[replica].Add(request.Digest))
        {
            return;
        }

        int holders = _holders.GetValueOrDefault(request.Digest) + 1;
        _holders[request.Digest] = holders;
        if (holders == _replicas.Length - _config.FaultyCount)
        {
            _pendingHeld.Add(request.Digest);
            if (_waitingSince < 0 && _stableAt >= 0)
            {
                StartWaiting();
            }
        }
    }

    private void OnProgress(int replica, IReadOnlyList<Decision> decisions)
    {
        if (!Correct(replica))
        {
            return;
        }

        foreach (Decision decision in decisions)
        {
            _frontier = Math.Max(_frontier, decision.Instance);
            foreach (SignedRequest request in decision.Batch)
            {
                _decidedAny.Add(request.Digest);
                _pendingHeld.Remove(request.Digest);
            }
        }

        RegencyAtDecision[replica] = _replicas[replica].Regency;
        if (_waitingSince >= 0 && _frontier > _waitingFrontier)
        {
            long waited = (_now - _waitingSince + _config.TickMs - 1) / _config.TickMs;
            long bound = BoundTicks(_config, _options.RetransmitTicks, _waitingK);
            if (_worstWaitTicks == 0 || waited * _worstBoundTicks > _worstWaitTicks * bound)
            {
                (_worstWaitTicks, _worstBoundTicks) = (waited, bound);
            }

            if (waited > bound)
            {
                Fail($"liveness bound missed: a request every correct replica held waited {waited} ticks for the next decision " +
                     $"(k = {_waitingK}, bound {bound} ticks, from {_waitingSince} ms); " + string.Join(" | ", _replicas.Select(r => r.Status)));
            }

            _waitingSince = -1;
        }

        if (_waitingSince < 0 && _stableAt >= 0 && _pendingHeld.Count > 0)
        {
            StartWaiting();
        }
    }

    private void StartWaiting()
    {
        _waitingSince = _now;
        _waitingFrontier = _frontier;
        _waitingK = 0;
        for (int i = 0; i < _replicas.Length; i++)
        {
            if (Correct(i))
            {
                _waitingK = Math.Max(_waitingK, _replicas[i].Regency - RegencyAtDecision[i]);
            }
        }

        _maxK = Math.Max(_maxK, _waitingK);
    }
}
