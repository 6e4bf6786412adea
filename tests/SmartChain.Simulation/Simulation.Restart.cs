using System.Buffers;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core;
using SmartChain.Core.Requests;

namespace SmartChain.Simulation;

/// <summary>
/// What each replica has on disk, and the whole-cluster crash: every replica stops at once and restarts from its vote
/// log (the bytes <see cref="VoteRecordCodec"/> writes, which the node's VoteLog frames and fsyncs before sending)
/// and its ledger (the decisions that reached it, minus the last few that group commit had not yet made durable).
/// </summary>
public sealed partial class Simulation
{
    private readonly List<byte[]>[] _voteLogs;
    private readonly List<(long At, Decision Decision)>[] _ledgers;
    private readonly bool[] _down;
    private readonly long[] _restartAt;
    private SplitMix64 _restartRandom;
    private long _crashAllAt = -1;
    private bool _crashedAll;

    /// <summary>Whole-cluster crashes so far (0 or 1).</summary>
    private int CrashAlls => _crashedAll ? 1 : 0;

    private void Persist(int replica, Ready ready)
    {
        foreach (VoteRecord vote in ready.Persist)
        {
            _voteLogs[replica].Add(Encode(vote));
            if (vote.Kind == MessageType.Stop && !_crashedAll && _crashAllAt < 0 && _config is { CrashAllAtMs: >= 0, CrashAllOnLeaderChange: true } &&
                _now >= _config.CrashAllAtMs)
            {
                _crashAllAt = _now + _restartRandom.NextInt(0, 40); // mid-leader-change: STOPDATAs and SYNC may be in flight
            }
        }

        foreach (Decision decision in ready.Decisions)
        {
            _ledgers[replica].Add((_now, decision));
        }
    }

    private static byte[] Encode(VoteRecord vote)
    {
        var buffer = new ArrayBufferWriter<byte>();
        VoteRecordCodec.Write(buffer, vote);
        return buffer.WrittenSpan.ToArray();
    }

    // Called on every tick, before the replicas tick.
    private void CrashAndRestart()
    {
        if (_config.CrashAllAtMs >= 0 && !_crashedAll)
        {
            long at = _crashAllAt >= 0 ? _crashAllAt : _config.CrashAllOnLeaderChange ? _config.CrashAllAtMs + 1_500 : _config.CrashAllAtMs;
            if (_now >= at)
            {
                CrashAll();
            }
        }

        for (int i = 0; i < _replicas.Length; i++)
        {
            if (_down[i] && _now >= _restartAt[i])
            {
                Restart(i);
            }
        }
    }

    private void CrashAll()
    {
        _crashedAll = true;
        ForgetHeld();

        // The leader most replicas follow restarts last, so the others change leader without it.
        int leader = _replicas.Select(r => r.Leader).GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
        for (int i = 0; i < _replicas.Length; i++)
        {
            if (_network.Crashed(_now, i))
            {
                continue; // crashed for good already
            }

            _down[i] = true;
            _restartAt[i] = _now + _config.RestartAfterMs + (i == leader ? _config.LeaderRestartDelayMs : 0);
            long durableUntil = _now - _restartRandom.NextInt(0, _config.LedgerLagMs);
            _ledgers[i].RemoveAll(entry => entry.At > durableUntil);
        }
    }

    private void Restart(int i)
    {
        List<(long At, Decision Decision)> ledger = _ledgers[i];
        long lastDecided = ledger.Count;
        var clients = new ClientTable(_options.RequestWindow);
        _freshSeen[i].Clear();
        foreach ((long _, Decision decision) in ledger)
        {
            clients.Record(decision.Batch, decision.Instance);
            for (int j = 0; j < decision.Batch.Count; j++)
            {
                if (decision.Fresh[j])
                {
                    _freshSeen[i].Add((decision.Batch[j].Client, decision.Batch[j].Sequence));
                }
            }
        }

        var core = new ReplicaCore(i, _view, ChainId, _replicaKeys[i], _options, r => r.Verify(ChainId), lastDecided, clients);

        // As VoteLog.Open: read every record back, keep the undecided instances' votes, rewrite the log with them.
        List<VoteRecord> votes = VoteRecord.KeptAfter(_voteLogs[i].Select(bytes => VoteRecordCodec.Read(bytes)), lastDecided);
        _voteLogs[i] = [.. votes.Select(Encode)];
        core.RestoreVotes(votes);
        foreach ((long _, Decision decision) in ledger.TakeLast(_options.RecentDecisions))
        {
            core.RememberDecided(decision);
        }

        _replicas[i] = core;
        Restarted(i);
        _delivered[i] = lastDecided;
        _verified[i].Clear();
        _down[i] = false;
        _restartAt[i] = _now;
        Drain(i);
    }
}
