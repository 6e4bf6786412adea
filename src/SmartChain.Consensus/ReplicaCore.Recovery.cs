using SmartChain.Consensus.Messages;

namespace SmartChain.Consensus;

/// <summary>
/// Restarting from durable state: the votes cast before a crash (so the replica never votes differently in an
/// instance and regency it already voted in) and the decisions its ledger holds (so it can answer FETCH for them).
/// </summary>
public sealed partial class ReplicaCore
{
    private readonly Dictionary<long, VoteRecord> _restored = [];

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
            if (vote.Kind == MessageType.Stop)
            {
                // The regency this replica had installed; it waits for that regency's SYNC (or times out to the next).
                if (vote.Regency > Regency)
                {
                    Regency = vote.Regency;
                    _synced = false;
                    _stopSent = vote.Regency;
                }

                continue;
            }

            if (vote.Instance <= LastDecided)
            {
                continue;
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

    private InstanceState Open(long id)
    {
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
