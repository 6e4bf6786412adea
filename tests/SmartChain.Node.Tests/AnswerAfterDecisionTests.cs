using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network;
using SmartChain.Node.Ordering;

namespace SmartChain.Node.Tests;

/// <summary>
/// A client's request that reaches a replica in the same drained burst as the votes that decide it is answered as
/// decided (from the block that holds it), so its answer must reach execution after that decision, never before: the
/// ledger would find neither the reply nor its block and answer Stale, and a client whose request reached f+1 replicas
/// that way never gets Q matching answers (CI, FourReplicaProcessTests, weak: "replica 2: Stale: sequence below the
/// client's highest decided one").
/// </summary>
public sealed class AnswerAfterDecisionTests : IDisposable
{
    private const string Chain = "answer-after-decision";
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(i => ThreeReplicaDecision.Key((byte)(60 + i)))];
    private readonly Ed25519KeyPair _client = ThreeReplicaDecision.Key(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("smartchain-answer-").FullName;

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in _keys)
        {
            key.Dispose();
        }

        _client.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_request_taken_in_the_burst_that_decides_it_is_answered_after_its_decision_reaches_execution()
    {
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 30000 + (2 * i), 30001 + (2 * i), _keys[i].PublicKey)));
        var options = new ConsensusOptions { MaxBatch = 64, RetransmitTicks = 5, RequestTimeoutTicks = 200 };
        SignedRequest request = SignedRequest.Create(Chain, _client, 1, 0, [1, 2, 3]);

        // Replicas 0–2 order the request among themselves; replica 3 gets their messages only now, all at once.
        List<(int From, ConsensusMessage Message)> toReplica3 = ThreeReplicaDecision.Run(view, Chain, _keys, options, request);
        Assert.Contains(toReplica3, m => m.Message is Accept);

        using var replica = new DriverUnderTest(3, view, Chain, _keys[3], options, new RecordingLinks(), _dir);
        ClientInputQueue clients = replica.Clients;
        ConsensusInputs inputs = replica.Inputs;
        foreach ((int from, ConsensusMessage message) in toReplica3)
        {
            inputs.OfferPeerMessage(new NodeInput.PeerMessage(from, message, 64));
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var session = new ClientSession(new SilentClientLink(new PeerIdentity(-1, _client.PublicKey)), 1 << 20, new ByteBudget(1 << 20), TimeProvider.System, stop.Token);
        Assert.Null(clients.TryEnqueue(new NodeInput.ClientRequest(request, session)));
        inputs.RingDoorbell();

        Task loop = replica.Start(stop.Token);

        ExecutionItem first = await replica.Execution.Reader.ReadAsync(stop.Token);
        ExecutionItem second = await replica.Execution.Reader.ReadAsync(stop.Token);
        Assert.True(first is ExecutionItem.Decided { Decision.Instance: 1 }, $"first to execution: {first}");
        Assert.True(second is ExecutionItem.Repeated repeated && repeated.Request.Digest == request.Digest, $"second to execution: {second}");

        await stop.CancelAsync();
        await loop.ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
