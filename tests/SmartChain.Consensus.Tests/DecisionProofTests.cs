using SmartChain.Core.Crypto;

namespace SmartChain.Consensus.Tests;

public sealed class DecisionProofTests : IDisposable
{
    private readonly TestCluster _cluster = new();
    private readonly Hash256 _hash = Hash256.Compute("batch"u8);

    public void Dispose() => _cluster.Dispose();

    private AcceptVote Vote(int replica, long instance = 1, int regency = 0, string chain = TestCluster.Chain) =>
        new(replica, _cluster.Keys[replica].Sign(AcceptStatement.Encode(chain, 0, instance, regency, _hash)));

    private string? Verify(params AcceptVote[] votes) => new DecisionProof(votes).Verify(_cluster.View, TestCluster.Chain, 1, 0, _hash);

    [Fact]
    public void Q_distinct_valid_votes_prove_a_decision() => Assert.Null(Verify(Vote(0), Vote(2), Vote(3)));

    [Fact]
    public void Fewer_than_Q_votes_do_not() => Assert.Contains("needs 3", Verify(Vote(0), Vote(1)), StringComparison.Ordinal);

    [Fact]
    public void A_repeated_voter_does_not_count_twice() => Assert.Contains("two votes from replica 1", Verify(Vote(0), Vote(1), Vote(1)), StringComparison.Ordinal);

    [Fact]
    public void A_vote_from_outside_the_view_is_refused() => Assert.Contains("not in view", Verify(Vote(0), Vote(1), new AcceptVote(7, new byte[64])), StringComparison.Ordinal);

    [Theory]
    [InlineData(2L, 0, TestCluster.Chain)]
    [InlineData(1L, 1, TestCluster.Chain)]
    [InlineData(1L, 0, "other-chain")]
    public void A_vote_for_another_instance_regency_or_chain_does_not_verify(long instance, int regency, string chain) =>
        Assert.Contains("does not verify", Verify(Vote(0), Vote(1), Vote(2, instance, regency, chain)), StringComparison.Ordinal);
}
