using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Operations;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Reconfiguration.Tests;

/// <summary>JOIN and the join certificate (SPEC §5): what installs a view, and every certificate that must not.</summary>
public sealed class JoinTests : IDisposable
{
    private readonly Consortium _c = new();

    public void Dispose() => _c.Dispose();

    [Fact]
    public void An_approved_join_with_Q_votes_installs_the_next_view_with_every_member_on_its_next_key()
    {
        SignedRequest join = _c.Join(4, endorser: 2);
        SystemResult approval = _c.Execute(join);
        Assert.Equal(SystemResultCode.Approved, approval.Code);
        ApprovalRecord record = approval.Record!;
        Assert.Equal((0L, join.Digest, 4, 1L, 11L), (record.ViewId, record.JoinTransaction, record.ReplicaId, record.ApprovedAt, record.ExpiresAt));

        SystemResult installed = _c.Execute(_c.Certificate(join, record, _c.Votes(record, 0, 0, 1, 3)));

        Assert.Equal(SystemResultCode.ViewInstalled, installed.Code);
        View view = installed.View!;
        Assert.Equal((1L, 5, 1, 4), (view.Id, view.N, view.F, view.Q));
        Assert.Same(view, _c.View);
        Assert.Equal(2L, _c.State.LastReconfigBlock);
        foreach (ReplicaMember member in view.Members)
        {
            // Each member's key of view 1 is the next leaf of its chain (the joiner's first), and the view checked its path.
            Assert.Equal(_c.ViewKey(member.Id, 1, member.Id == 4 ? 1 : 0).PublicKey, member.ViewKey.Key);
            Assert.Null(member.Chain.Check(member.ViewKey, 1));
        }

        // The result is canonical: what every replica records in its block and a verifier decodes.
        Assert.Equal(view.Encode(), SystemResult.TryDecode(installed.Encode(), out _)!.View!.Encode());
    }

    public static TheoryData<string, string> BadCertificates => new()
    {
        { "too-few", "join certificate: 2 valid votes; a quorum of view 0 (n=4, f=1, Q=3) needs 3" },
        { "duplicate-voter", "join certificate: two votes from replica 1" },
        { "non-member-voter", "join certificate: vote of replica 7, which is not in view 0" },
        { "vote-for-another-joiner", "join certificate: the vote of replica 2 does not verify with its key of view 0" },
        { "vote-with-another-view-key", "join certificate: the vote of replica 1 does not verify with its key of view 0" },
        { "record-of-another-view", "the join certificate is for view 3; the current view is 0" },
        { "record-of-another-join", "the approval record is for another join" },
        { "submitted-by-another", "a join certificate must be submitted by its joiner" },
    };

    [Theory]
    [MemberData(nameof(BadCertificates))]
    public void A_bad_join_certificate_is_rejected_with_the_reason_and_the_view_is_unchanged(string fault, string reason)
    {
        SignedRequest join = _c.Join(4);
        ApprovalRecord record = _c.Execute(join).Record!;
        IReadOnlyList<(int, ReadOnlyMemory<byte>)> votes = _c.Votes(record, 0, 0, 1, 2);
        SignedRequest certificate = fault switch
        {
            "too-few" => _c.Certificate(join, record, votes.Take(2).ToList()),
            "duplicate-voter" => _c.Certificate(join, record, [votes[0], votes[1], votes[1]]),
            "non-member-voter" => _c.Certificate(join, record, [votes[0], votes[1], (7, record.Sign(_c.ViewKey(0, 1)))]),
            "vote-for-another-joiner" => _c.Certificate(join, record, [votes[0], votes[1], (2, (record with { ReplicaId = 5 }).Sign(_c.ViewKey(2, 0)))]),
            "vote-with-another-view-key" => _c.Certificate(join, record, [votes[0], (1, record.Sign(_c.ViewKey(1, 1))), votes[2]]),
            "record-of-another-view" => _c.Certificate(join, record with { ViewId = 3 }, _c.Votes(record with { ViewId = 3 }, 0, 0, 1, 2)),
            "record-of-another-join" => _c.Certificate(join, record with { JoinTransaction = Hash256.Compute("other"u8) },
                _c.Votes(record with { JoinTransaction = Hash256.Compute("other"u8) }, 0, 0, 1, 2)),
            _ => _c.Sign(_c.Identity(0), new ReconfigureOperation(join, record, votes)),
        };

        SystemResult result = _c.Execute(certificate);

        Assert.Equal(SystemResultCode.Rejected, result.Code);
        Assert.StartsWith(reason, result.Reason, StringComparison.Ordinal);
        Assert.Equal((0L, 4), (_c.View.Id, _c.View.N));
    }

    [Fact]
    public void An_expired_certificate_is_rejected()
    {
        SignedRequest join = _c.Join(4);
        ApprovalRecord record = _c.Execute(join).Record!;
        _c.Instance = record.ExpiresAt; // the next instance is one past the expiry

        SystemResult result = _c.Execute(_c.Certificate(join, record, _c.Votes(record, 0, 0, 1, 2)));

        Assert.Equal($"the join certificate expired at instance {record.ExpiresAt}; this is instance {record.ExpiresAt + 1}", result.Reason);
        Assert.Equal(0L, _c.View.Id);
    }

    [Fact]
    public void A_replayed_certificate_is_rejected_because_its_view_has_passed()
    {
        SignedRequest join = _c.Join(4);
        ApprovalRecord record = _c.Execute(join).Record!;
        SignedRequest certificate = _c.Certificate(join, record, _c.Votes(record, 0, 0, 1, 2));
        Assert.Equal(SystemResultCode.ViewInstalled, _c.Execute(certificate).Code);

        SystemResult again = _c.Execute(_c.Sign(_c.Identity(4), ReconfigurationOperation.Decode(certificate.Operation.Span)));

        Assert.StartsWith("the join certificate is for view 0; the current view is 1", again.Reason, StringComparison.Ordinal);
        Assert.Equal((1L, 5), (_c.View.Id, _c.View.N));
    }

    public static TheoryData<string, string> RefusedJoins => new()
    {
        { "no-endorsement", "the join policy refused replica 4: no endorsement by a current member, and the key is not on the allow-list" },
        { "endorsed-by-a-stranger", "the join policy refused replica 4: the endorser, replica 9, is not a member of view 0" },
        { "endorsement-for-another", "the join policy refused replica 4: the endorsement does not verify with replica 1's identity key" },
        { "taken-id", "replica id 2 is a current member's" },
        { "taken-address", "address 127.0.0.1:30000 is replica 0's" },
        { "member-key", "the joiner's key is replica 3's identity key" },
    };

    [Theory]
    [MemberData(nameof(RefusedJoins))]
    public void A_join_the_rules_or_the_policy_refuse_gets_no_approval(string fault, string reason)
    {
        SignedRequest join = fault switch
        {
            "no-endorsement" => _c.Join(4, payload: CoinJoinPolicy.NoPayload),
            "endorsed-by-a-stranger" => _c.Join(4, payload: CoinJoinPolicy.EndorsementPayload(9, new byte[64])),
            "endorsement-for-another" => _c.Join(4, payload: CoinJoinPolicy.Endorse(Consortium.Chain, 1, _c.Identity(1), _c.Identity(0).PublicKey, 4)),
            "taken-id" => _c.Join(2),
            "taken-address" => _c.Sign(NewKey(), new JoinOperation(5, "127.0.0.1", 30000, 30011, [NewKey().PublicKey], CoinJoinPolicy.NoPayload)),
            _ => _c.Sign(_c.Identity(3), new JoinOperation(6, "127.0.0.1", 30020, 30021, [NewKey().PublicKey], CoinJoinPolicy.NoPayload)),
        };

        SystemResult result = _c.Execute(join);

        Assert.Equal(SystemResultCode.Rejected, result.Code);
        Assert.StartsWith(reason, result.Reason, StringComparison.Ordinal);
        Assert.Equal(0L, _c.View.Id);
    }

    [Fact]
    public void A_key_on_the_allow_list_joins_without_an_endorsement()
    {
        using var allowed = Ed25519KeyPair.Generate();
        using var c = new Consortium(allowList: [allowed.PublicKey]);
        SystemResult result = c.Execute(c.Sign(allowed, new JoinOperation(4, "127.0.0.1", 30008, 30009, [NewKey().PublicKey], CoinJoinPolicy.NoPayload)));
        Assert.Equal(SystemResultCode.Approved, result.Code);
    }

    [Fact]
    public void An_id_that_belonged_to_a_member_that_left_is_never_reused()
    {
        _c.Admit(4);
        Assert.Equal(SystemResultCode.ViewInstalled, _c.Execute(_c.Sign(_c.Identity(0), new LeaveOperation(0))).Code);

        SystemResult result = _c.Execute(_c.Join(0, endorser: 1));

        Assert.StartsWith("replica id 0 belonged to a member that left; ids are never reused", result.Reason, StringComparison.Ordinal);
    }

    private static Ed25519KeyPair NewKey() => Ed25519KeyPair.Generate();
}
