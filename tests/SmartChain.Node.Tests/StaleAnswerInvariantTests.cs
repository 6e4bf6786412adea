using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>
/// Stale tells a client "never executed, sign again". A replica that then executes that very request answered too
/// early (an answer that overtook its decision: AnswerAfterDecisionTests; LeaderFailureTests and
/// FourReplicaProcessTests failed by it in CI); the reply cache asserts it, so the replica stops at that step and the
/// whole-replica simulator would name the first seed that takes it.
/// </summary>
public sealed class StaleAnswerInvariantTests : IDisposable
{
    private readonly Ed25519KeyPair _client = Ed25519KeyPair.FromSeed([.. Enumerable.Repeat((byte)7, 32)]);

    public void Dispose() => _client.Dispose();

    [Fact]
    public void A_reply_cache_that_answered_Stale_for_a_request_it_then_executes_stops_on_the_invariant()
    {
        var cache = new ReplyCache(16);
        SignedRequest request = SignedRequest.Create("stale-test", _client, 1, 0, "op"u8.ToArray());
        Assert.Equal(ReplyStatus.Stale, cache.Repeated(request.Digest).Status);

        var executed = new ReplyMessage(request.Digest, ReplyStatus.Executed, 7, "ok"u8.ToArray());
        var e = Assert.Throws<Core.InvariantViolationException>(() => cache.Add(executed));
        Assert.Contains("answered Stale", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_executed_before_it_is_repeated_is_answered_Duplicate_with_its_result()
    {
        var cache = new ReplyCache(16);
        SignedRequest request = SignedRequest.Create("stale-test", _client, 2, 0, "op"u8.ToArray());
        cache.Add(new ReplyMessage(request.Digest, ReplyStatus.Executed, 7, "ok"u8.ToArray()));

        ReplyMessage again = cache.Repeated(request.Digest);
        Assert.Equal(ReplyStatus.Duplicate, again.Status);
        Assert.Equal("ok"u8.ToArray(), again.Result.ToArray());
    }
}
