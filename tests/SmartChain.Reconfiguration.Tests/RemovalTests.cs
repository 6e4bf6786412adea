using SmartChain.Core.Application;
using SmartChain.Core.Requests;
using SmartChain.Reconfiguration.Operations;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Reconfiguration.Tests;

/// <summary>LEAVE by a member's own request, and exclusion by f+1 members' votes that live in the replicated state.</summary>
public sealed class RemovalTests : IDisposable
{
    private readonly Consortium _c = new();

    public RemovalTests() => _c.Admit(4); // five members, so one can go

    public void Dispose() => _c.Dispose();

    [Fact]
    public void A_member_leaves_by_its_own_request_and_the_others_move_to_their_next_keys()
    {
        SystemResult result = _c.Execute(_c.Sign(_c.Identity(2), new LeaveOperation(2)));

        Assert.Equal(SystemResultCode.ViewInstalled, result.Code);
        Assert.Equal([0, 1, 3, 4], _c.View.Members.Select(m => m.Id));
        Assert.Equal(2L, _c.View.Id);
        Assert.Contains(2, _c.State.FormerMembers);
        Assert.Equal(_c.ViewKey(4, 2, firstView: 1).PublicKey, _c.View.Members[^1].ViewKey.Key);
    }

    [Fact]
    public void A_leave_not_signed_by_the_leaver_is_rejected()
    {
        SystemResult result = _c.Execute(_c.Sign(_c.Identity(1), new LeaveOperation(2)));

        Assert.StartsWith("a LEAVE must be signed by the leaving replica's identity key", result.Reason, StringComparison.Ordinal);
        Assert.Equal(5, _c.View.N);
    }

    [Fact]
    public void No_member_leaves_a_view_of_four()
    {
        Assert.Equal(SystemResultCode.ViewInstalled, _c.Execute(_c.Sign(_c.Identity(4), new LeaveOperation(4))).Code);

        SystemResult result = _c.Execute(_c.Sign(_c.Identity(0), new LeaveOperation(0)));

        Assert.StartsWith("view 2 (n=4, f=1, Q=3) has 4 members; a view needs at least 4", result.Reason, StringComparison.Ordinal);
        Assert.Equal(4, _c.View.N);
    }

    [Fact]
    public void Exclusion_needs_f_plus_one_votes_f_votes_only_count()
    {
        SystemResult first = _c.Execute(_c.Sign(_c.Identity(0), new ExcludeOperation(3)));
        Assert.Equal((SystemResultCode.VoteRecorded, 1, 2), (first.Code, first.Votes, first.Needed));
        Assert.Equal(5, _c.View.N);

        // The same voter again is still one vote.
        Assert.Equal(1, _c.Execute(_c.Sign(_c.Identity(0), new ExcludeOperation(3))).Votes);
        Assert.Equal(5, _c.View.N);

        SystemResult second = _c.Execute(_c.Sign(_c.Identity(1), new ExcludeOperation(3)));
        Assert.Equal(SystemResultCode.ViewInstalled, second.Code);
        Assert.DoesNotContain(3, _c.View.Members.Select(m => m.Id));
        Assert.Empty(_c.State.ExclusionVotes);
    }

    [Fact]
    public void Exclusion_votes_survive_a_snapshot_and_expire()
    {
        Assert.Equal(1, _c.Execute(_c.Sign(_c.Identity(0), new ExcludeOperation(3))).Votes);
        _c.State = ReconfigurationState.Decode(_c.State.Encode(), _c.Genesis);
        Assert.Single(_c.State.ExclusionVotes);

        _c.Instance += 60; // past the 50-instance expiry
        SystemResult late = _c.Execute(_c.Sign(_c.Identity(1), new ExcludeOperation(3)));

        Assert.Equal((SystemResultCode.VoteRecorded, 1), (late.Code, late.Votes));
        Assert.Equal(5, _c.View.N);
    }

    public static TheoryData<string, string> BadVotes => new()
    {
        { "stranger", "an exclusion vote must be signed by the identity key of a member" },
        { "self", "replica 2 cannot vote to exclude itself; it can leave" },
        { "non-member-target", "replica 9 is not a member" },
    };

    [Theory]
    [MemberData(nameof(BadVotes))]
    public void A_bad_exclusion_vote_is_rejected(string fault, string reason)
    {
        using var stranger = Core.Crypto.Ed25519KeyPair.Generate();
        SignedRequest vote = fault switch
        {
            "stranger" => _c.Sign(stranger, new ExcludeOperation(2)),
            "self" => _c.Sign(_c.Identity(2), new ExcludeOperation(2)),
            _ => _c.Sign(_c.Identity(0), new ExcludeOperation(9)),
        };

        SystemResult result = _c.Execute(vote);

        Assert.StartsWith(reason, result.Reason, StringComparison.Ordinal);
        Assert.Empty(_c.State.ExclusionVotes);
    }

    [Fact]
    public void A_replica_admits_a_view_changing_request_from_a_client_only_if_it_could_succeed_now()
    {
        var machine = new ReplicatedStateMachine(Consortium.Chain, _c.App, _c.State);
        using var stranger = Core.Crypto.Ed25519KeyPair.Generate();
        Assert.Null(machine.Admit(_c.Sign(_c.Identity(1), new LeaveOperation(1))));
        Assert.StartsWith("a LEAVE or EXCLUDE must be signed by the identity key of a member", machine.Admit(_c.Sign(stranger, new LeaveOperation(1))), StringComparison.Ordinal);
        Assert.StartsWith("a LEAVE or EXCLUDE must be signed", machine.Admit(_c.Sign(stranger, new ExcludeOperation(1))), StringComparison.Ordinal);

        SignedRequest join = _c.Join(5);
        ApprovalRecord record = _c.Execute(join).Record!;
        Assert.Null(machine.Admit(_c.Certificate(join, record, _c.Votes(record, 1, 0, 1, 2, 3))));
        Assert.StartsWith("join certificate: 3 valid votes", machine.Admit(_c.Certificate(join, record, _c.Votes(record, 1, 0, 1, 2))), StringComparison.Ordinal);
        Assert.Null(machine.Admit(join)); // a JOIN changes no view: admitted, judged in execution
    }

    [Fact]
    public void One_view_change_per_block_a_later_one_in_the_same_batch_is_refused()
    {
        var machine = new ReplicatedStateMachine(Consortium.Chain, _c.App, _c.State);
        SignedRequest leave = _c.Sign(_c.Identity(1), new LeaveOperation(1));
        SignedRequest other = _c.Sign(_c.Identity(2), new LeaveOperation(2));

        BatchOutcome outcome = machine.Execute(new BatchContext(99, 99), [leave, other]);

        Assert.Equal(2L, outcome.Installed!.Id);
        Assert.StartsWith("an earlier request of this block changed the view", SystemResult.TryDecode(outcome.Results[1], out _)!.Reason, StringComparison.Ordinal);
        Assert.Equal(4, _c.State.View.N);
    }
}
