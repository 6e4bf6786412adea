using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network;
using SmartChain.Node.Ordering;

namespace SmartChain.Node.Tests;

/// <summary>
/// A client names as not-before the newest instance it has a reply from, and the fastest replicas reply first: a replica
/// still one instance behind them gets the client's next request before it decides that instance. It used to refuse it
/// ("ahead of this replica's last decided instance"); when that replica was the leader, the request was ordered only
/// after the others forwarded it at half the request timeout, 1 s later (issue 16: the ~1 s mode of the latency tail).
/// Now the replica holds it until it has decided the instance, then pools it like any other.
/// </summary>
public sealed class AheadRequestTests : IDisposable
{
    private const string Chain = "ahead-requests";
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(i => ThreeReplicaDecision.Key((byte)(70 + i)))];
    private readonly Ed25519KeyPair _first = ThreeReplicaDecision.Key(91);
    private readonly Ed25519KeyPair _next = ThreeReplicaDecision.Key(92);
    private readonly string _dir = Directory.CreateTempSubdirectory("smartchain-ahead-").FullName;

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in _keys)
        {
            key.Dispose();
        }

        _first.Dispose();
        _next.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_request_naming_the_instance_a_replica_is_about_to_decide_is_pooled_once_it_decides_it_not_refused()
    {
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 30000 + (2 * i), 30001 + (2 * i), _keys[i].PublicKey)));
        var options = new ConsensusOptions { MaxBatch = 64, RetransmitTicks = 5, RequestTimeoutTicks = 200 };
        SignedRequest first = SignedRequest.Create(Chain, _first, 1, 0, [1, 2, 3]);
        List<(int From, ConsensusMessage Message)> toReplica3 = ThreeReplicaDecision.Run(view, Chain, _keys, options, first);

        using var replica = new DriverUnderTest(3, view, Chain, _keys[3], options, new RecordingLinks(), _dir);
        ClientInputQueue clients = replica.Clients;
        ConsensusInputs inputs = replica.Inputs;
        ConsensusDriver driver = replica.Driver;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task loop = replica.Start(stop.Token);
        await using var session = new ClientSession(new SilentClientLink(new PeerIdentity(-1, _next.PublicKey)), 1 << 20, new ByteBudget(1 << 20), TimeProvider.System, stop.Token);

        // The client saw instance 1 decided elsewhere; replica 3 has decided nothing yet when its request arrives.
        SignedRequest next = SignedRequest.Create(Chain, _next, 1, notBefore: 1, [4, 5, 6]);
        Assert.Null(clients.TryEnqueue(new NodeInput.ClientRequest(next, session)));
        inputs.RingDoorbell();

        // The loop takes its inputs in order: once it has dequeued the request, the votes offered next come after it.
        Assert.True(SpinWait.SpinUntil(() => clients.Count == 0, TimeSpan.FromSeconds(10)), "the consensus loop never took the request");
        foreach ((int from, ConsensusMessage message) in toReplica3)
        {
            inputs.OfferPeerMessage(new NodeInput.PeerMessage(from, message, 64));
        }

        ExecutionItem item = await replica.Execution.Reader.ReadAsync(stop.Token);
        Assert.True(item is ExecutionItem.Decided { Decision.Instance: 1 }, $"first to execution: {item}");
        Assert.True(SpinWait.SpinUntil(() => driver.Status.LastDecided == 1, TimeSpan.FromSeconds(10)), "instance 1 was never published");
        Assert.Equal(1, driver.Status.PendingRequests);
        Assert.False(replica.Execution.Reader.TryRead(out ExecutionItem? refused), $"answered instead of ordered: {refused}");

        await stop.CancelAsync();
        await loop.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
