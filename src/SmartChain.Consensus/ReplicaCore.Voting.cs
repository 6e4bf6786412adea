using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>The normal case: PROPOSE → WRITE → signed ACCEPT → decision.</summary>
public sealed partial class ReplicaCore
{
    private void MaybePropose()
    {
        // While the driver feeds a burst of inputs, the proposal waits for the burst's end (ReleaseProposals), so it
        // carries every request the burst brought instead of the first one alone.
        if (_proposalsHeld)
        {
            return;
        }

        // A leader still catching up to its SYNC's instance proposes nothing below it: those instances are decided.
        if (!CanProposeNow())
        {
            return;
        }

        IReadOnlyList<SignedRequest> batch = _current.LockedBatch ?? _pool.SelectBatch(_options.MaxBatch, _options.MaxBatchBytes);
        if (batch.Count == 0)
        {
            return;
        }

        var propose = new Propose(_view.Id, _current.Id, Regency, batch);
        Hash256 hash = BatchHash.Compute(batch);
        _current.MyPropose = propose;
        _persist.Add(new VoteRecord(MessageType.Propose, _current.Id, Regency, hash, batch));
        Broadcast(propose);
        AcceptProposal(propose, hash);
    }

    private bool CanProposeNow() =>
        IsMember && _barrier is null && Leader == Id && _synced && !(_pendingSync is { } pending && _current.Id < pending.Instance) &&
        _current.MyPropose is null && _current.Proposal is null && (_pool.Count > 0 || _current.LockedBatch is not null);

    private void OnPropose(int from, Propose propose)
    {
        int leader = LeaderOf(propose.Regency);
        if (from != leader)
        {
            Reject(from, "out-of-turn", $"PROPOSE for instance {propose.Instance} from replica {from}; the leader of regency {propose.Regency} is {leader}", evidence: true);
            return;
        }

        Hash256 hash = BatchHash.Compute(propose.Batch);
        if (_current.Proposal is not null)
        {
            if (hash != _current.ProposalHash)
            {
                Reject(from, "equivocation", $"second PROPOSE for instance {propose.Instance} with a different batch", evidence: true);
            }

            return;
        }

        if (_current.Locked is { } locked && hash != locked)
        {
            Reject(from, "conflicts-with-restored-vote",
                $"PROPOSE for instance {propose.Instance} with batch {hash}; before restarting this replica voted for {locked} in this regency", evidence: true);
            return;
        }

        if (ValidateBatch(propose.Batch) is { } problem)
        {
            Reject(from, "invalid-proposal", $"PROPOSE for instance {propose.Instance} refused: {problem}", evidence: true);
            return;
        }

        AcceptProposal(propose, hash);
    }

    private void AcceptProposal(Propose propose, Hash256 hash)
    {
        _current.Proposal = propose;
        _current.ProposalHash = hash;
        byte[] signature = _key!.Sign(WriteStatement.Encode(_chainId, _view.Id, _current.Id, Regency, hash));
        var write = new Write(_view.Id, _current.Id, Regency, hash, signature);
        _persist.Add(new VoteRecord(MessageType.Write, _current.Id, Regency, hash));
        _current.MyWrite = write;
        _current.Writes[Id] = write;
        Broadcast(write);
        TryAccept();
        TryDecide();
    }

    // Null if every request may be ordered; otherwise the first reason it may not.
    private string? ValidateBatch(IReadOnlyList<SignedRequest> batch)
    {
        if (batch.Count == 0 || batch.Count > _options.MaxBatch)
        {
            return $"{batch.Count} requests; a batch holds 1..{_options.MaxBatch}";
        }

        long bytes = 0;
        var lastSequence = new Dictionary<Ed25519PublicKey, ulong>();
        foreach (SignedRequest request in batch)
        {
            bytes += request.Size;
            if (lastSequence.TryGetValue(request.Client, out ulong previous) && request.Sequence <= previous)
            {
                return $"client {request.Client} has sequence {request.Sequence} after {previous} in the same batch";
            }

            lastSequence[request.Client] = request.Sequence;
            if (_clients.IsDecided(request.Client, request.Sequence))
            {
                return $"{request} was already decided";
            }

            // Deterministic: the window depends on the request and this instance only.
            if (!_clients.InWindow(request, _current.Id))
            {
                return $"{request} cannot be ordered in instance {_current.Id}: its not-before must be {Math.Max(0, _current.Id - _clients.Window)}..{_current.Id - 1}";
            }

            // Known with the same digest: verified when it arrived. Otherwise (new to us, or different bytes under a
            // sequence we hold) it is verified now; the Java reference skipped both checks.
            if (!_pool.ContainsSame(request) && !_verifyRequest(request))
            {
                return $"{request} fails verification (signature, chain id or application check)";
            }
        }

        return bytes > _options.MaxBatchBytes ? $"{bytes} bytes; a batch holds at most {_options.MaxBatchBytes}" : null;
    }

    private void OnWrite(int from, Write write)
    {
        if (_current.Writes.TryGetValue(from, out Write? earlier))
        {
            if (earlier.BatchHash != write.BatchHash)
            {
                Reject(from, "conflicting-write", $"two WRITEs for instance {write.Instance}: {earlier.BatchHash} and {write.BatchHash}; the first counts", evidence: true);
            }

            return;
        }

        // Q WRITEs for this batch are already held (this replica's ACCEPT is out, or goes out with the PROPOSE): one more
        // adds nothing to the ACCEPT or to the write certificate kept with it, so it costs no verification and is not
        // kept (docs/consensus.md, "Votes beyond a quorum").
        if (_current.CountWrites(write.BatchHash) >= _view.Q)
        {
            return;
        }

        _view.TryGetMember(from, out var member);
        if (!WriteStatement.Verify(member!.ViewKey.Key, write.Signature.Span, _chainId, _view.Id, write.Instance, write.Regency, write.BatchHash))
        {
            Reject(from, "bad-signature", $"WRITE for instance {write.Instance} with a signature that does not verify", evidence: false);
            return;
        }

        _current.Writes[from] = write;
        TryAccept();
    }

    private void TryAccept()
    {
        if (_current.MyAccept is not null || _current.Proposal is null || _current.CountWrites(_current.ProposalHash) < _view.Q)
        {
            return;
        }

        Hash256 hash = _current.ProposalHash;
        byte[] signature = _key!.Sign(AcceptStatement.Encode(_chainId, _view.Id, _current.Id, Regency, hash));
        var accept = new Accept(_view.Id, _current.Id, Regency, hash, signature);
        KeepCertificate(hash);
        _persist.Add(new VoteRecord(MessageType.Accept, _current.Id, Regency, hash, Certificate: _myCertificate));
        _current.MyAccept = accept;
        _current.Accepts[Id] = accept;
        Broadcast(accept);
        TryDecide();
    }

    private void OnAccept(int from, Accept accept)
    {
        if (_current.Accepts.TryGetValue(from, out Accept? earlier))
        {
            if (earlier.BatchHash != accept.BatchHash)
            {
                Reject(from, "conflicting-accept", $"two ACCEPTs for instance {accept.Instance}; the first counts", evidence: true);
            }

            return;
        }

        // Q ACCEPTs for this batch are already held (they wait for its PROPOSE): the decision proof needs no more.
        if (_current.CountAccepts(accept.BatchHash) >= _view.Q)
        {
            return;
        }

        _view.TryGetMember(from, out var member);
        if (!AcceptStatement.Verify(member!.ViewKey.Key, accept.Signature.Span, _chainId, _view.Id, accept.Instance, accept.Regency, accept.BatchHash))
        {
            Reject(from, "bad-signature", $"ACCEPT for instance {accept.Instance} with a signature that does not verify", evidence: false);
            return;
        }

        _current.Accepts[from] = accept;
        TryDecide();
    }

    private void TryDecide()
    {
        if (_current.Proposal is null)
        {
            return;
        }

        int matching = 0;
        foreach (Accept accept in _current.Accepts.Values)
        {
            if (accept.BatchHash == _current.ProposalHash)
            {
                matching++;
            }
        }

        if (matching < _view.Q)
        {
            return;
        }

        var votes = new List<AcceptVote>(matching);
        foreach ((int replica, Accept accept) in _current.Accepts)
        {
            if (accept.BatchHash == _current.ProposalHash)
            {
                votes.Add(new AcceptVote(replica, accept.Signature));
            }
        }

        votes.Sort(static (a, b) => a.ReplicaId.CompareTo(b.ReplicaId));
        Decide(_current.Proposal.Batch, _current.ProposalHash, Regency, new DecisionProof(votes));
    }
}
