using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Consensus;

/// <summary>
/// What a STOPDATA or SYNC must prove before it is used (see docs/consensus.md, "Bounded and proven fields"): the
/// sender's signature, the decision and write certificate it carries, an instance this replica can vouch for, and a
/// choice of batch that follows from Q such STOPDATAs.
/// </summary>
public sealed partial class ReplicaCore
{
    private string? CheckStopData(int from, StopData data)
    {
        _view.TryGetMember(from, out var member);
        if (member is null)
        {
            return $"STOPDATA from replica {from}, which is not in {_view}";
        }

        if (!Ed25519.Verify(member.ViewKey.Key, StopData.Statement(_chainId, _view.Id, data.Instance, data.Regency, data.Certificate), data.Signature.Span))
        {
            return $"STOPDATA of replica {from} for regency {data.Regency}: the signature does not verify";
        }

        if (data.LastDecision is { } d &&
            (d.Instance != data.Instance - 1 || d.Proof.Verify(_view, _chainId, d.Instance, d.Regency, BatchHash.Compute(d.Batch)) is not null))
        {
            return $"STOPDATA of replica {from}: its last decision (instance {d.Instance}) does not prove itself";
        }

        if (data.Certificate is { } c && (c.Instance != data.Instance || c.Regency >= data.Regency || c.Verify(_view, _chainId) is not null))
        {
            return $"STOPDATA of replica {from}: its write certificate for instance {c.Instance} does not hold";
        }

        return null;
    }

    // A STOPDATA's instance becomes the SYNC's (the highest wins), and nothing below it is proposed any more: so it is
    // taken only if this replica decided the instance before it itself, or the STOPDATA proves it with the decision
    // before it or with a write certificate for it (Q replicas wrote there, so f+1 correct ones had decided the one
    // before). Either proof is verified by CheckStopData. Not evidence: the sender may be ahead of this replica.
    private string? UnprovenInstance(int from, StopData data)
    {
        if (data.Instance <= LastDecided + 1 || data.LastDecision is not null || data.Certificate is not null)
        {
            return null;
        }

        return $"STOPDATA of replica {from} claims instance {data.Instance} with neither the decision before it nor a write certificate; " +
            $"this replica decided up to {LastDecided}";
    }

    // The open instance is the highest any sender reached; the batch is that of the highest-regency certificate there.
    private static (long Instance, WriteCertificate? Chosen) Choose(IEnumerable<StopData> datas)
    {
        List<StopData> all = [.. datas];
        long instance = all.Max(d => d.Instance);
        WriteCertificate? chosen = all.Where(d => d.Instance == instance && d.Certificate is not null)
            .Select(d => d.Certificate!).OrderByDescending(c => c.Regency).FirstOrDefault();
        return (instance, chosen);
    }

    // (null, _) if the SYNC follows from its STOPDATAs; otherwise why not, and whether that proves the sender wrong
    // (false only for an instance this replica cannot check yet: it may be behind).
    private (string? Problem, bool Evidence) CheckSync(Sync sync)
    {
        if (sync.StopDatas.Count < _view.Q || sync.StopDatas.Count > _view.N)
        {
            return ($"SYNC for regency {sync.Regency} relays {sync.StopDatas.Count} STOPDATAs; {_view.Q}..{_view.N} are needed", true);
        }

        var senders = new HashSet<int>();
        foreach ((int sender, StopData data) in sync.StopDatas)
        {
            if (data.Regency != sync.Regency || !senders.Add(sender))
            {
                return ($"SYNC for regency {sync.Regency} relays a STOPDATA of another regency, or two of replica {sender}", true);
            }

            if (UnprovenInstance(sender, data) is { } unproven)
            {
                return ($"SYNC for regency {sync.Regency}: {unproven}", false);
            }

            if (CheckStopData(sender, data) is { } problem)
            {
                return ($"SYNC for regency {sync.Regency}: {problem}", true);
            }
        }

        (long instance, WriteCertificate? chosen) = Choose(sync.StopDatas.Select(x => x.Data));
        if (instance != sync.Instance)
        {
            return ($"SYNC names instance {sync.Instance}, but its STOPDATAs reach instance {instance}", true);
        }

        if (chosen is null ? sync.Batch.Count != 0 : BatchHash.Compute(sync.Batch) != chosen.BatchHash)
        {
            return ($"SYNC for instance {sync.Instance}: its batch does not follow from the write certificates it relays", true);
        }

        return (null, false);
    }
}
