using SmartChain.Core;
using SmartChain.Core.Application;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Operations;

namespace SmartChain.Reconfiguration.State;

/// <summary>Leaving by a member's own request, exclusion by f+1 members' votes, and installing the next view.</summary>
public sealed partial class ReconfigurationState
{
    private string? _lastProblem;

    private SystemResult ExecuteLeave(SignedRequest request, LeaveOperation leave, BatchContext context)
    {
        if (!View.TryGetMember(leave.ReplicaId, out ReplicaMember? member) || member is null)
        {
            return SystemResult.Rejected($"replica {leave.ReplicaId} is not a member of {View}");
        }

        if (member.PublicKey != request.Client)
        {
            return SystemResult.Rejected($"a LEAVE must be signed by the leaving replica's identity key; replica {leave.ReplicaId}'s is {member.PublicKey}");
        }

        return Remove(leave.ReplicaId, context, "leave");
    }

    private SystemResult ExecuteExclude(SignedRequest request, ExcludeOperation exclude, BatchContext context)
    {
        if (View.MemberWithIdentity(request.Client) is not { } voter)
        {
            return SystemResult.Rejected($"an exclusion vote must be signed by the identity key of a member of {View}");
        }

        if (!View.Contains(exclude.Target))
        {
            return SystemResult.Rejected($"replica {exclude.Target} is not a member of {View}");
        }

        if (voter.Id == exclude.Target)
        {
            return SystemResult.Rejected($"replica {voter.Id} cannot vote to exclude itself; it can leave");
        }

        if (View.N - 1 < Limits.MinViewMembers)
        {
            return SystemResult.Rejected($"{View} has {View.N} members; excluding one would leave fewer than {Limits.MinViewMembers}");
        }

        PruneVotes(context.ConsensusId);
        _exclusionVotes[(exclude.Target, voter.Id)] = context.ConsensusId;
        int votes = _exclusionVotes.Keys.Count(k => k.Target == exclude.Target);
        int needed = View.F + 1;
        return votes < needed ? SystemResult.Counted(votes, needed) : Remove(exclude.Target, context, "exclusion");
    }

    private SystemResult Remove(int replicaId, BatchContext context, string why)
    {
        if (View.N - 1 < Limits.MinViewMembers)
        {
            return SystemResult.Rejected($"{View} has {View.N} members; a view needs at least {Limits.MinViewMembers}, so replica {replicaId} cannot {why}");
        }

        if (NextView([.. View.Members.Where(m => m.Id != replicaId)], joinerId: -1) is not { } view)
        {
            return SystemResult.Rejected(_lastProblem!);
        }

        _chainKeys.Remove(replicaId);
        _formerIds.Add(replicaId);
        return Install(view, context);
    }

    // The next view of `members`: each continuing member with its key of the next view (the joiner, if any, already has
    // its own). Null (with _lastProblem) if a chain has run out or the members do not form a view.
    private View? NextView(List<ReplicaMember> members, int joinerId)
    {
        long next = View.Id + 1;
        var moved = new List<ReplicaMember>(members.Count);
        foreach (ReplicaMember member in members)
        {
            if (member.Id == joinerId)
            {
                moved.Add(member);
                continue;
            }

            if (member.Chain.IndexOf(next) is null)
            {
                _lastProblem = $"replica {member.Id}'s key chain has no key for view {next}; it must leave and join again with a new key chain";
                return null;
            }

            moved.Add(member.InView(next, _chainKeys[member.Id]));
        }

        try
        {
            return new View(next, moved);
        }
        catch (ArgumentException e)
        {
            _lastProblem = $"the next view would not be valid: {e.Message}";
            return null;
        }
    }

    private SystemResult Install(View next, BatchContext context)
    {
        View = next;
        LastReconfigBlock = context.BlockNumber;
        PruneVotes(context.ConsensusId);
        return SystemResult.Installed(next);
    }

    // Votes expire, and count only while both their voter and their target are members.
    private void PruneVotes(long instance)
    {
        foreach (var stale in _exclusionVotes.Where(v => v.Value + _parameters.ExclusionExpiryInstances < instance ||
                     !View.Contains(v.Key.Target) || !View.Contains(v.Key.Voter)).Select(v => v.Key).ToList())
        {
            _exclusionVotes.Remove(stale);
        }
    }
}
