using Microsoft.Extensions.Logging.Abstractions;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Node.Api;

namespace SmartChain.Node.Tests;

/// <summary>
/// The HTTP API's submit path (second reader of issue 14). A replica answers every request it refuses, but not one its
/// pool drops unexecuted (superseded by another request with the same sequence, or its window passed) nor one whose
/// reply it sends to a newer link that brought the same bytes. The API's submitter waited on such a transaction for
/// ever: 1,024 of them (cheap for anyone with a key) and every API submission was answered "busy" until the replica
/// restarted.
/// </summary>
public sealed class ApiSubmitterTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task A_submission_the_replica_never_answers_is_given_up_after_its_lifetime_and_frees_its_place()
    {
        await using var net = new InProcessNetwork();
        ReplicaHost api = net.Hosts[1]!; // not the leader of regency 0: what it takes waits in its own pool
        await using var submitter = new ApiSubmitter(api, NullLogger.Instance, TimeSpan.FromSeconds(1));
        using var holder = Ed25519KeyPair.Generate();
        SignedRequest mine = SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(holder.PublicKey, 1)]).Encode());
        SignedRequest other = SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(holder.PublicKey, 2)]).Encode());

        var inPool = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        api.ClientRequestTracked += digest =>
        {
            if (digest == mine.Digest)
            {
                inPool.TrySetResult();
            }
        };
        Assert.Equal(SubmitState.Pending, (await submitter.SubmitAsync(mine, wait: false, Timeout())).State);

        // The same transaction again, at once: it joins the first's wait, so this completes with the answer the API gives.
        Task<SubmitOutcome> answered = submitter.SubmitAsync(mine, wait: true, Timeout()).AsTask();
        await inPool.Task.WaitAsync(Timeout()); // the API's transaction reached replica 1's pool

        // The same sequence with other bytes, straight to the leader: it is ordered, and replica 1 drops the API's one.
        var leader = net.Genesis.InitialView.Members[0];
        await using SecureLink link = await SecureLink.ConnectAsync(leader.Host, leader.ClientPort, net.Chain,
            new LinkCredentials(PeerIdentity.ClientId, holder), new PeerIdentity(0, leader.PublicKey), LinkOptions.Default, Timeout());
        await link.SendAsync(FrameType.Request, other.Encoded, Timeout());
        Frame? frame = await link.ReceiveAsync(Timeout());
        ReplyMessage executed = ReplyMessage.Decode(frame!.Value.Payload.Span);
        Assert.Equal(ReplyStatus.Executed, executed.Status);
        await api.WaitForCertifiedAsync(executed.Block, Timeout()); // replica 1 executed the other request

        // Nobody will answer it (the replica decided another request for its sequence): it is given up, not answered.
        SubmitOutcome given = await answered;
        Assert.Equal(SubmitState.Pending, given.State);
        Assert.Contains("no answer", given.Reason, StringComparison.Ordinal);
        Assert.Equal(0, submitter.Waiting);
        Assert.Same(given, submitter.Outcome(mine.Digest));
    }
}
