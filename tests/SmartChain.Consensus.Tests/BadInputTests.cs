using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Tests;

/// <summary>Each bad input: rejected with a reason, never decided, and the correct replicas keep ordering.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TestCluster _cluster = new();
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);

    public void Dispose()
    {
        _cluster.Dispose();
        _alice.Dispose();
    }

    private static Hash256 HashOf(params SignedRequest[] batch) => BatchHash.Compute(batch);

    private void AssertStillOrders(ulong sequence)
    {
        SignedRequest next = TestCluster.Request(_alice, sequence, "after");
        int before = _cluster.Decisions[0].Count;
        _cluster.Submit(next);
        for (int i = 0; i < 4; i++)
        {
            Assert.Contains(_cluster.Decisions[i], d => d.Batch.Any(r => r.Digest == next.Digest));
        }

        Assert.True(_cluster.Decisions[0].Count > before);
    }

    [Fact]
    public void A_PROPOSE_out_of_turn_is_evidence_and_gets_no_WRITE()
    {
        var propose = new Propose(0, 1, 0, [TestCluster.Request(_alice, 1)]);
        _cluster.Inject(from: 2, to: 1, propose);

        ConsensusEvent e = Assert.Single(_cluster.Events[1]);
        Assert.Equal(("out-of-turn", 2, true), (e.Kind, e.From, e.IsEvidence));
        Assert.DoesNotContain(_cluster.Sent, s => s.From == 1 && s.Message is Write);
        AssertStillOrders(2);
    }

    [Fact]
    public void Conflicting_WRITEs_from_one_sender_are_evidence_and_count_once()
    {
        _cluster.Filter = (_, _, m) => m is not Write; // hold the real WRITEs back
        SignedRequest request = TestCluster.Request(_alice, 1);
        _cluster.Submit(request);
        Hash256 real = HashOf(request);

        _cluster.Inject(from: 2, to: 1, SignedWrite(2, real));
        _cluster.Inject(from: 2, to: 1, SignedWrite(2, Hash256.Compute("other"u8)));
        _cluster.Inject(from: 2, to: 1, SignedWrite(2, real));

        Assert.Contains(_cluster.Events[1], e => e.Kind == "conflicting-write" && e.From == 2 && e.IsEvidence);
        Assert.DoesNotContain(_cluster.Sent, s => s.From == 1 && s.Message is Accept); // own + replica 2 = 2 < Q = 3
        _cluster.Filter = (_, _, _) => true;
        _cluster.TickAll(5);
        Assert.Single(_cluster.Decisions[1]);
    }

    [Fact]
    public void A_WRITE_whose_signature_does_not_verify_does_not_count()
    {
        _cluster.Filter = (_, _, m) => m is not Write;
        SignedRequest request = TestCluster.Request(_alice, 1);
        _cluster.Submit(request);
        Hash256 real = HashOf(request);
        byte[] forged = SignedWrite(2, real).Signature.ToArray();
        forged[0] ^= 1;
        _cluster.Inject(from: 2, to: 1, new Write(0, 1, 0, real, forged));
        _cluster.Inject(from: 3, to: 1, new Write(0, 1, 0, real, SignedWrite(2, real).Signature)); // replica 2's signature, sent by 3

        Assert.Equal(2, _cluster.Events[1].Count(e => e.Kind == "bad-signature"));
        Assert.DoesNotContain(_cluster.Sent, s => s.From == 1 && s.Message is Accept);
    }

    private Write SignedWrite(int signer, Hash256 hash) =>
        new(0, 1, 0, hash, _cluster.Keys[signer].Sign(WriteStatement.Encode(TestCluster.Chain, 0, 1, 0, hash)));

    [Fact]
    public void Conflicting_ACCEPTs_from_one_sender_are_evidence_and_count_once()
    {
        _cluster.Filter = (_, _, m) => m is not Accept;
        SignedRequest request = TestCluster.Request(_alice, 1);
        _cluster.Submit(request);
        Hash256 real = HashOf(request);
        Hash256 other = Hash256.Compute("other"u8);
        byte[] SignedBy(int replica, Hash256 hash) => _cluster.Keys[replica].Sign(AcceptStatement.Encode(TestCluster.Chain, 0, 1, 0, hash));

        _cluster.Inject(from: 2, to: 1, new Accept(0, 1, 0, real, SignedBy(2, real)));
        _cluster.Inject(from: 2, to: 1, new Accept(0, 1, 0, other, SignedBy(2, other)));

        Assert.Contains(_cluster.Events[1], e => e.Kind == "conflicting-accept" && e.From == 2 && e.IsEvidence);
        Assert.Empty(_cluster.Decisions[1]);
        _cluster.Inject(from: 3, to: 1, new Accept(0, 1, 0, real, SignedBy(3, real)));
        Assert.Single(_cluster.Decisions[1]);
    }

    [Fact]
    public void An_ACCEPT_with_a_bad_signature_is_refused_and_not_counted()
    {
        _cluster.Filter = (_, _, m) => m is not Accept;
        SignedRequest request = TestCluster.Request(_alice, 1);
        _cluster.Submit(request);
        Hash256 hash = HashOf(request);

        byte[] signedByWrongReplica = _cluster.Keys[3].Sign(AcceptStatement.Encode(TestCluster.Chain, 0, 1, 0, hash));
        _cluster.Inject(from: 2, to: 1, new Accept(0, 1, 0, hash, signedByWrongReplica));
        byte[] wrongInstance = _cluster.Keys[2].Sign(AcceptStatement.Encode(TestCluster.Chain, 0, 2, 0, hash));
        _cluster.Inject(from: 2, to: 1, new Accept(0, 1, 0, hash, wrongInstance));
        _cluster.Inject(from: 3, to: 1, new Accept(0, 1, 0, hash, new byte[64]));

        Assert.Equal(3, _cluster.Events[1].Count(e => e.Kind == "bad-signature"));
        Assert.Empty(_cluster.Decisions[1]);
    }

    [Fact]
    public void A_proposal_with_a_badly_signed_request_is_refused()
    {
        byte[] tampered = TestCluster.Request(_alice, 1).Encoded.ToArray();
        tampered[^1] ^= 1;
        _cluster.Inject(from: 0, to: 1, new Propose(0, 1, 0, [SignedRequest.Decode(tampered)]));

        ConsensusEvent e = Assert.Single(_cluster.Events[1]);
        Assert.Equal("invalid-proposal", e.Kind);
        Assert.Contains("fails verification", e.Detail, StringComparison.Ordinal);
        Assert.Empty(_cluster.Decisions[1]);
        Assert.DoesNotContain(_cluster.Sent, s => s.From == 1 && s.Message is Write);
    }

    [Fact]
    public void A_proposed_request_whose_bytes_differ_from_the_held_copy_is_verified_not_trusted()
    {
        SignedRequest held = TestCluster.Request(_alice, 1, "pay bob 5");
        _cluster.Cores[1].Submit(held);
        _cluster.Cores[1].TakeReady();

        // Same client and sequence, other bytes, signature not re-made: the digest differs, verification fails.
        byte[] forged = held.Encoded.ToArray();
        forged[^70] ^= 1; // inside the operation
        _cluster.Inject(from: 0, to: 1, new Propose(0, 1, 0, [SignedRequest.Decode(forged)]));
        Assert.Contains(_cluster.Events[1], e => e.Kind == "invalid-proposal");

        // A genuinely signed alternative (the client equivocated) verifies and is acceptable.
        SignedRequest alternative = TestCluster.Request(_alice, 1, "pay carol 5");
        var cluster = new TestCluster();
        cluster.Cores[1].Submit(held);
        cluster.Inject(from: 0, to: 1, new Propose(0, 1, 0, [alternative]));
        Assert.DoesNotContain(cluster.Events[1], e => e.IsEvidence);
        Assert.Contains(cluster.Sent, s => s.From == 1 && s.Message is Write);
        cluster.Dispose();
    }

    [Fact]
    public void A_replayed_client_request_is_never_decided_fresh_twice()
    {
        SignedRequest request = TestCluster.Request(_alice, 5);
        _cluster.Submit(request);
        Assert.Equal(PoolAddResult.AlreadyDecided, _cluster.Cores[0].Submit(request));
        Assert.Equal(PoolAddResult.AlreadyDecided, _cluster.Cores[0].Submit(TestCluster.Request(_alice, 4, "older")));

        // A leader that proposes it again is refused by every replica.
        _cluster.Inject(from: 0, to: 2, new Propose(0, 2, 0, [request]));
        Assert.Contains(_cluster.Events[2], e => e.Kind == "invalid-proposal" && e.Detail.Contains("already decided", StringComparison.Ordinal));
        Assert.All(_cluster.Decisions, d => Assert.Single(d));
        AssertStillOrders(6);
    }

    [Fact]
    public void A_forged_decision_is_refused_and_a_real_one_is_taken()
    {
        SignedRequest request = TestCluster.Request(_alice, 1);
        Hash256 hash = HashOf(request);
        byte[] Vote(int replica) => _cluster.Keys[replica].Sign(AcceptStatement.Encode(TestCluster.Chain, 0, 1, 0, hash));

        var tooFew = new DecisionProof([new AcceptVote(0, Vote(0)), new AcceptVote(1, Vote(1))]);
        _cluster.Inject(from: 2, to: 3, new DecisionMessage(0, 1, 0, [request], tooFew));
        var duplicated = new DecisionProof([new AcceptVote(0, Vote(0)), new AcceptVote(0, Vote(0)), new AcceptVote(1, Vote(1))]);
        _cluster.Inject(from: 2, to: 3, new DecisionMessage(0, 1, 0, [request], duplicated));
        var otherBatch = new DecisionProof([new AcceptVote(0, Vote(0)), new AcceptVote(1, Vote(1)), new AcceptVote(2, Vote(2))]);
        _cluster.Inject(from: 2, to: 3, new DecisionMessage(0, 1, 0, [TestCluster.Request(_alice, 1, "other")], otherBatch));

        Assert.Equal(3, _cluster.Events[3].Count(e => e.Kind == "invalid-proof"));
        Assert.Empty(_cluster.Decisions[3]);

        _cluster.Inject(from: 2, to: 3, new DecisionMessage(0, 1, 0, [request], otherBatch));
        Assert.Equal(hash, Assert.Single(_cluster.Decisions[3]).BatchHash);
    }

    [Fact]
    public void Messages_from_unknown_senders_or_other_views_are_refused()
    {
        _cluster.Inject(from: 9, to: 1, new Fetch(0, 1, 0));
        _cluster.Inject(from: 0, to: 1, new Propose(5, 1, 0, [TestCluster.Request(_alice, 1)]));
        Assert.Equal(["unknown-sender", "wrong-view"], _cluster.Events[1].Select(e => e.Kind));
        AssertStillOrders(1);
    }

    [Fact]
    public void Messages_far_ahead_are_not_buffered()
    {
        _cluster.Inject(from: 0, to: 1, new Write(0, 10_000, 0, Hash256.Zero, new byte[64]));
        Assert.Equal("too-far-ahead", Assert.Single(_cluster.Events[1]).Kind);
        Assert.Contains("buffered 0", _cluster.Cores[1].Status, StringComparison.Ordinal);
    }
}
