using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Tests;

/// <summary>
/// Issue 16: a vote that arrives when its quorum is already held adds nothing, so its signature is not verified (an
/// Ed25519 verification each) and it is not kept. Each test sends the surplus vote with a forged signature: were it
/// verified, it would be refused as "bad-signature".
/// </summary>
public sealed class QuorumVerificationTests : IDisposable
{
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);

    public void Dispose() => _alice.Dispose();

    private static byte[] Forged(byte[] signature)
    {
        signature[0] ^= 1;
        return signature;
    }

    [Fact]
    public void A_WRITE_that_arrives_after_the_WRITE_quorum_is_not_verified_or_kept()
    {
        using var cluster = new TestCluster();
        cluster.Filter = (_, _, m) => m is not Write; // the WRITEs arrive only as injected
        SignedRequest request = TestCluster.Request(_alice, 1);
        cluster.Submit(request);
        Hash256 hash = BatchHash.Compute([request]);
        Write SignedWrite(int signer) => new(0, 1, 0, hash, cluster.Keys[signer].Sign(WriteStatement.Encode(TestCluster.Chain, 0, 1, 0, hash)));

        cluster.Inject(from: 0, to: 1, SignedWrite(0));
        cluster.Inject(from: 2, to: 1, SignedWrite(2));
        Assert.Contains(cluster.Sent, s => s.From == 1 && s.Message is Accept); // own + 0 + 2 = Q

        cluster.Inject(from: 3, to: 1, new Write(0, 1, 0, hash, Forged(SignedWrite(3).Signature.ToArray())));

        Assert.DoesNotContain(cluster.Events[1], e => e.Kind == "bad-signature");
        Assert.Contains("writes 3 ", cluster.Cores[1].Status, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ACCEPT_that_arrives_after_Q_matching_ACCEPTs_is_not_verified_and_the_instance_decides_with_the_PROPOSE()
    {
        // n = 7, Q = 5: five peers' ACCEPTs can be held before the PROPOSE (the decision waits for the batch).
        using var cluster = new TestCluster(n: 7);
        Assert.Equal(5, cluster.View.Q);
        cluster.Filter = (_, to, _) => to != 1; // replica 1 hears only what is injected
        SignedRequest request = TestCluster.Request(_alice, 1);
        cluster.Submit(request);
        Assert.Single(cluster.Decisions[0]);
        Hash256 hash = BatchHash.Compute([request]);
        Accept SignedAccept(int signer) => new(0, 1, 0, hash, cluster.Keys[signer].Sign(AcceptStatement.Encode(TestCluster.Chain, 0, 1, 0, hash)));

        foreach (int signer in new[] { 0, 2, 3, 4, 5 })
        {
            cluster.Inject(from: signer, to: 1, SignedAccept(signer));
        }

        cluster.Inject(from: 6, to: 1, new Accept(0, 1, 0, hash, Forged(SignedAccept(6).Signature.ToArray())));
        Assert.DoesNotContain(cluster.Events[1], e => e.Kind == "bad-signature");
        Assert.Empty(cluster.Decisions[1]);

        cluster.Inject(from: 0, to: 1, new Propose(0, 1, 0, [request]));
        Decision decision = Assert.Single(cluster.Decisions[1]);
        Assert.Equal([0, 2, 3, 4, 5], decision.Proof.Votes.Select(v => v.ReplicaId));
        Assert.Null(decision.Proof.Verify(cluster.View, TestCluster.Chain, 1, 0, hash));
    }
}
