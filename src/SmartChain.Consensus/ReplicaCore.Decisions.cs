using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>Deciding, delivering in order, and catching up on decisions a replica missed.</summary>
public sealed partial class ReplicaCore
{
    private void Decide(IReadOnlyList<SignedRequest> batch, Hash256 hash, int regency, DecisionProof proof)
    {
        long instance = _current.Id;
        bool[] fresh = _clients.Record(batch, instance);
        _pool.RemoveDecided(batch, _clients);
        _pool.Open(instance + 1);
        bool barrier = NeedsBarrier(batch, fresh);
        var decision = new Decision(instance, regency, batch, hash, proof, fresh) { ViewId = _view.Id, AwaitsView = barrier };
        _decisions.Add(decision);
        Remember(decision);
        if (barrier)
        {
            // The next instance may belong to another view: nothing is ordered until execution says (ResumeAfter).
            LastDecided = instance;
            _current = new InstanceState(instance + 1);
            _ticksWithoutDecision = 0;
            Progressed();
            _barrier = instance;
            return;
        }

        OpenAfter(instance);
    }

    // Everything up to `instance` is decided: open the next instance and handle what arrived early for it.
    private void OpenAfter(long instance)
    {
        LastDecided = instance;
        _current = Open(instance + 1);
        _ticksWithoutDecision = 0;
        Progressed();

        // Messages that arrived early for the new open instance are handled now, in arrival order.
        if (_future.Remove(_current.Id, out List<(int From, ConsensusMessage Message)>? early))
        {
            Unbuffer(early);
            foreach ((int from, ConsensusMessage message) in early)
            {
                if (message.Instance == _current.Id)
                {
                    Dispatch(from, message);
                }
            }
        }

        ApplySync();
        MaybePropose();
    }

    private void OnDecision(int from, DecisionMessage decision)
    {
        if (!DecideProven(from, decision, "DECISION", evidence: true))
        {
            return;
        }

        // Catching up: ask the same peer for the next one at once instead of waiting for the retransmit period,
        // so a replica back from a crash closes the gap faster than the others move on (after a barrier, once resumed).
        if (_barrier is null)
        {
            _messages.Add(new OutboundMessage(from, new Fetch(_view.Id, _current.Id, Regency)));
        }
    }

    // Decides the open instance from a self-proving decision; false (and refused) if its proof does not verify.
    private bool DecideProven(int from, DecisionMessage decision, string what, bool evidence)
    {
        Hash256 hash = BatchHash.Compute(decision.Batch);
        if (decision.Proof.Verify(_view, _chainId, decision.Instance, decision.Regency, hash) is { } problem)
        {
            Reject(from, "invalid-proof", $"{what} for instance {decision.Instance} refused: {problem}", evidence);
            return false;
        }

        // A proven decision in a later regency means Q replicas installed and synced it: a replica that was away
        // (restarted, partitioned) joins that regency instead of waiting for a leader nobody follows.
        AdoptRegency(decision.Regency, decision.Instance);
        Decide(decision.Batch, hash, decision.Regency, decision.Proof);
        return true;
    }

    // Per sender and tick: each instance answered once, and at most FetchAnswersPerTick answers. A FETCH costs a few
    // bytes and its answer a whole batch; a correct replica asks once per decision it receives, or per RetransmitTicks.
    private readonly Dictionary<int, int> _fetchAnswers = [];
    private readonly HashSet<(int From, long Instance)> _fetchesAnsweredThisTick = [];

    private void OnFetch(int from, Fetch fetch)
    {
        bool recent = _recent.TryGetValue(fetch.Instance, out Decision? decision);
        if (!recent && (fetch.Instance > LastDecided || _fetchesToServe.Count >= 64))
        {
            return; // not decided here yet (the asker asks again), or the ledger reads of this round are used up
        }

        int answered = _fetchAnswers.GetValueOrDefault(from);
        if (answered >= _options.FetchAnswersPerTick || !_fetchesAnsweredThisTick.Add((from, fetch.Instance)))
        {
            return; // not evidence: a correct replica that lost an answer asks again
        }

        _fetchAnswers[from] = answered + 1;
        if (recent)
        {
            _messages.Add(new OutboundMessage(from, new DecisionMessage(decision!.ViewId, decision.Instance, decision.Regency, decision.Batch, decision.Proof)));
        }
        else
        {
            _fetchesToServe.Add((from, fetch.Instance)); // 1 <= instance <= LastDecided: Step refuses instances below 1
        }
    }

    private void Remember(Decision decision)
    {
        _recent[decision.Instance] = decision;
        _recentOrder.Enqueue(decision.Instance);
        while (_recentOrder.Count > _options.RecentDecisions)
        {
            _recent.Remove(_recentOrder.Dequeue());
        }
    }
}
