using SmartChain.Core;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Operations;

namespace SmartChain.Reconfiguration.State;

/// <summary>Joining: JOIN judged by the platform's rules and the application's policy, then RECONFIGURE with a join certificate.</summary>
public sealed partial class ReconfigurationState
{
    private SystemResult ExecuteJoin(SignedRequest request, JoinOperation join, BatchContext context, IReplicatedApplication app)
    {
        if (CheckCandidate(request.Client, join) is { } refused)
        {
            return SystemResult.Rejected(refused);
        }

        JoinVerdict verdict = app.EvaluateJoin(new JoinCandidate(join.ReplicaId, request.Client, join.Host, join.Port, join.ClientPort, join.Payload), View);
        if (!verdict.Approved)
        {
            return SystemResult.Rejected($"the join policy refused replica {join.ReplicaId}: {verdict.Reason}");
        }

        return SystemResult.Approved(new ApprovalRecord(_chainId, View.Id, request.Digest, join.ReplicaId, request.Client, context.ConsensusId,
            context.ConsensusId + _parameters.JoinExpiryInstances));
    }

    private SystemResult ExecuteReconfigure(SignedRequest request, ReconfigureOperation certificate, BatchContext context)
    {
        SignedRequest joinRequest = certificate.Join;
        if (ReconfigurationOperation.TryDecode(joinRequest.Operation.Span, out _) is not JoinOperation join)
        {
            return SystemResult.Rejected("the join certificate does not embed a JOIN request");
        }

        if (!joinRequest.Verify(_chainId))
        {
            return SystemResult.Rejected($"the embedded JOIN request's signature does not verify for chain {_chainId}");
        }

        if (request.Client != joinRequest.Client)
        {
            return SystemResult.Rejected("a join certificate must be submitted by its joiner (the key that signed the JOIN)");
        }

        ApprovalRecord record = certificate.Record;
        if (record.ChainId != _chainId)
        {
            return SystemResult.Rejected($"the join certificate is for chain {record.ChainId}");
        }

        if (record.ViewId != View.Id)
        {
            return SystemResult.Rejected($"the join certificate is for view {record.ViewId}; the current view is {View.Id} (a certificate is good for the view it was voted in, once)");
        }

        if (record.JoinTransaction != joinRequest.Digest || record.ReplicaId != join.ReplicaId || record.Identity != joinRequest.Client)
        {
            return SystemResult.Rejected($"the approval record is for another join (replica {record.ReplicaId}, request {record.JoinTransaction}), not for this JOIN of replica {join.ReplicaId}");
        }

        if (context.ConsensusId > record.ExpiresAt)
        {
            return SystemResult.Rejected($"the join certificate expired at instance {record.ExpiresAt}; this is instance {context.ConsensusId}");
        }

        if (QuorumSignatures.Verify(View, record.Encode(), certificate.Votes) is { } badVotes)
        {
            return SystemResult.Rejected($"join certificate: {badVotes.Replace("signature", "vote", StringComparison.Ordinal)}");
        }

        if (CheckCandidate(joinRequest.Client, join) is { } refused)
        {
            return SystemResult.Rejected(refused);
        }

        long next = View.Id + 1;
        var chain = KeyChainCommitment.Create(join.ViewKeys, next);
        var joiner = new ReplicaMember(join.ReplicaId, join.Host, join.Port, join.ClientPort, joinRequest.Client, chain, chain.Prove(join.ViewKeys, next));
        if (NextView([.. View.Members, joiner], joiner.Id) is not { } view)
        {
            return SystemResult.Rejected(_lastProblem!);
        }

        _chainKeys[joiner.Id] = [.. join.ViewKeys];
        return Install(view, context);
    }

    // The rules every join must meet, whatever the application's policy: null if the candidate may join the current view.
    private string? CheckCandidate(Ed25519PublicKey identity, JoinOperation join)
    {
        int id = join.ReplicaId;
        if (id < 0)
        {
            return $"replica id {id} is negative";
        }

        if (View.Contains(id))
        {
            return $"replica id {id} is a current member's (view {View.Id}: {View.MemberList})";
        }

        if (_formerIds.Contains(id))
        {
            return $"replica id {id} belonged to a member that left; ids are never reused";
        }

        if (View.N >= Limits.MaxViewMembers)
        {
            return $"{View} is full ({Limits.MaxViewMembers} members)";
        }

        if (View.MemberWithIdentity(identity) is { } holder)
        {
            return $"the joiner's key is replica {holder.Id}'s identity key";
        }

        if (join.Host.Length == 0 || Uri.CheckHostName(join.Host) == UriHostNameType.Unknown)
        {
            return $"\"{join.Host}\" is not a host name or IP address";
        }

        if (join.Port is < 1 or > 65535 || join.ClientPort is < 1 or > 65535 || join.Port == join.ClientPort)
        {
            return $"ports {join.Port} and {join.ClientPort}: two different TCP ports are needed";
        }

        foreach (ReplicaMember m in View.Members)
        {
            foreach (string endpoint in (string[])[$"{join.Host}:{join.Port}", $"{join.Host}:{join.ClientPort}"])
            {
                if (string.Equals(endpoint, m.ReplicaEndpoint, StringComparison.OrdinalIgnoreCase) || string.Equals(endpoint, m.ClientEndpoint, StringComparison.OrdinalIgnoreCase))
                {
                    return $"address {endpoint} is replica {m.Id}'s";
                }
            }
        }

        return CheckChainKeys(identity, join.ViewKeys);
    }

    private string? CheckChainKeys(Ed25519PublicKey identity, IReadOnlyList<Ed25519PublicKey> keys)
    {
        if (keys.Count is < 1 or > KeyChainCommitment.MaxLength)
        {
            return $"a key chain holds 1..{KeyChainCommitment.MaxLength} keys, not {keys.Count}";
        }

        var seen = new HashSet<Ed25519PublicKey> { identity };
        foreach (Ed25519PublicKey key in keys)
        {
            if (!seen.Add(key))
            {
                return "the key chain repeats a key, or holds the joiner's identity key";
            }
        }

        foreach ((int member, Ed25519PublicKey[] chain) in _chainKeys)
        {
            if (View.TryGetMember(member, out ReplicaMember? m) && (seen.Contains(m!.PublicKey) || chain.Any(seen.Contains)))
            {
                return $"the key chain shares a key with replica {member}";
            }
        }

        return null;
    }
}
