using SmartChain.Consensus.Messages;

namespace SmartChain.Consensus;

/// <summary>
/// Restarting from durable state: the votes cast before a crash (so the replica never votes differently in an
/// instance and regency it already voted in), the write certificates of its ACCEPTs (so its STOPDATA still names a
/// batch a quorum accepted after the whole cluster restarted), and the decisions its ledger holds (so it can answer
/// FETCH for them).
/// </summary>
public sealed partial class ReplicaCore
{
    private readonly Dictionary<long, VoteRecord> _restored = [];
    private readonly Dictionary<long, WriteCertificate> _restoredCertificates = [];

    /// <summary>
    /// Restores the votes this replica persisted before a restart. Votes for decided instances are ignored; for each
    /// later instance the replica will take only the batch it voted for, in the regency it voted in, and a leader that
    /// had proposed proposes the same batch again. Call before any other input.
    /// </summary>
    public void RestoreVotes(IEnumerable<VoteRecord> votes)
    {
        ArgumentNullException.ThrowIfNull(votes);
        foreach (VoteRecord vote in votes)
        {
            // The regency this replica had installed; it waits for that regency's SYNC (or times out to the next). A
            // vote in a regency means it had installed that one too (by STOPs, a SYNC, or a later decision it adopted,
            // which persists no STOP record): restart in it at least, so a restored certificate is never of a regency
            // above the replica's own.
            if (vote.Regency > Regency)
            {
                Regency = vote.Regency;
                _synced = false;
                _stopSent = vote.Regency;
            }

            if (vote.Kind == MessageType.Stop)
            {
                continue;
            }

            if (vote.Instance <= LastDecided)
            {
                continue;
            }

            if (vote.Certificate is { } certificate && certificate.Instance == vote.Instance &&
                (!_restoredCertificates.TryGetValue(vote.Instance, out WriteCertificate? other) || other.Regency < certificate.Regency))
            {
                _restoredCertificates[vote.Instance] = certificate;
            }

            // A PROPOSE record carries the batch; the WRITE and ACCEPT of the same vote that follow it must not hide it.
            if (_restored.TryGetValue(vote.Instance, out VoteRecord? earlier) && earlier.Batch is not null && vote.Batch is null &&
                earlier.BatchHash == vote.BatchHash && earlier.Regency == vote.Regency)
            {
                continue;
            }

            _restored[vote.Instance] = vote;
        }

        _current = Open(_current.Id);
        MaybePropose();
    }

    /// <summary>Keeps a decision read back from the ledger so that peers who missed it can FETCH it.</summary>
    public void RememberDecided(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Instance <= LastDecided)
        {
            Remember(decision);
        }
    }

    // The write certificate this replica holds for `instance`: the one formed since the restart, or the one its
    // persisted ACCEPT carried, whichever is of the higher regency.
    private WriteCertificate? CertificateFor(long instance)
    {
        WriteCertificate? mine = _myCertificate?.Instance == instance ? _myCertificate : null;
        return _restoredCertificates.TryGetValue(instance, out WriteCertificate? restored) && (mine is null || restored.Regency > mine.Regency)
            ? restored
            : mine;
    }

    private InstanceState Open(long id)
    {
        if (_restoredCertificates.Count > 0)
        {
            foreach (long decided in _restoredCertificates.Keys.Where(i => i < id).ToList())
            {
                _restoredCertificates.Remove(decided);
            }
        }

        var state = new InstanceState(id);
        if (_restored.Remove(id, out VoteRecord? vote) && vote.Regency == Regency)
        {
            state.Locked = vote.BatchHash;
            if (vote.Kind == MessageType.Propose && vote.Batch is not null && LeaderOf(vote.Regency) == Id)
            {
                state.LockedBatch = vote.Batch;
            }
        }

        return state;
    }
}
