using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network;
using SmartChain.Node.Ordering;

namespace SmartChain.Node.Tests;

/// <summary>
/// A leader whose proposal the patience holds (a small pool after a large batch) proposes when the wait is over even if
/// no other input ever arrives: the driver's timer wakes its loop (<see cref="NodeInput.ProposalDue"/>). Without it the
/// proposal would wait for the next tick, here a minute away.
/// </summary>
public sealed class HeldProposalTimerTests : IDisposable
{
    private const string Chain = "held-proposal";
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(i => ThreeReplicaDecision.Key((byte)(110 + i)))];
    private readonly Ed25519KeyPair[] _clients = [.. Enumerable.Range(0, 9).Select(i => ThreeReplicaDecision.Key((byte)(130 + i)))];
    private readonly string _dir = Directory.CreateTempSubdirectory("smartchain-held-").FullName;

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in _keys.Concat(_clients))
        {
            key.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_held_proposal_goes_out_when_its_wait_is_over_with_no_other_input()
    {
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 30000 + (2 * i), 30001 + (2 * i), _keys[i].PublicKey)));
        var options = new ConsensusOptions { MaxBatch = 64, RetransmitTicks = 5, RequestTimeoutTicks = 200 };
        var limits = new MessageLimits(64, 4096);
        var links = new RecordingLinks(peers: [1, 2, 3]);
        using var replica = new DriverUnderTest(0, view, Chain, _keys[0], options, links, _dir, clientQueue: 64);
        ClientInputQueue clients = replica.Clients;
        ConsensusInputs inputs = replica.Inputs;
        ReplicaCore[] followers = [.. Enumerable.Range(1, 3).Select(i => new ReplicaCore(i, view, Chain, _keys[i], options, r => r.Verify(Chain)))];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Task loop = replica.Start(stop.Token); // no tick within the test
        await using var session = new ClientSession(new SilentClientLink(new PeerIdentity(-1, _clients[0].PublicKey)), 1 << 20, new ByteBudget(1 << 20), TimeProvider.System, stop.Token);

        // Instance 1: a batch of 8, proposed at once (nothing to compare it with), decided by the followers' votes.
        for (int i = 0; i < 8; i++)
        {
            Assert.Null(clients.TryEnqueue(new NodeInput.ClientRequest(SignedRequest.Create(Chain, _clients[i], 1, 0, [(byte)i]), session)));
        }

        inputs.RingDoorbell();
        Propose first = NextPropose(links, limits, stop.Token);
        Assert.Equal(8, first.Batch.Count);
        Decide(first, followers, links, inputs, limits, stop.Token);
        ExecutionItem decided = await replica.Execution.Reader.ReadAsync(stop.Token); // handed on once the leader decided it
        Assert.True(decided is ExecutionItem.Decided { Decision.Instance: 1 }, $"first to execution: {decided}");

        // Instance 2: one request, fewer than three quarters of 8, so the proposal is held; nothing else arrives.
        Assert.Null(clients.TryEnqueue(new NodeInput.ClientRequest(SignedRequest.Create(Chain, _clients[8], 1, 0, [8]), session)));
        inputs.RingDoorbell();
        Propose second = NextPropose(links, limits, stop.Token);
        Assert.Equal(2, second.Instance);
        Assert.Single(second.Batch);

        await stop.CancelAsync();
        await loop.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static Propose NextPropose(RecordingLinks links, MessageLimits limits, CancellationToken stop)
    {
        while (links.Broadcasts.TryTake(out byte[]? sent, TimeSpan.FromSeconds(10)))
        {
            stop.ThrowIfCancellationRequested();
            if (MessageCodec.Decode(sent, limits) is Propose propose)
            {
                return propose;
            }
        }

        Assert.Fail("no PROPOSE within 10 s: the held proposal was never released");
        throw new InvalidOperationException("unreachable");
    }

    // Runs the followers on the leader's PROPOSE until their votes, handed to the driver, decide it.
    private static void Decide(Propose propose, ReplicaCore[] followers, RecordingLinks links, ConsensusInputs inputs, MessageLimits limits, CancellationToken stop)
    {
        var inFlight = new Queue<(int From, int To, ConsensusMessage Message)>();
        foreach (ReplicaCore follower in followers)
        {
            inFlight.Enqueue((0, follower.Id, propose));
        }

        while (inFlight.TryDequeue(out var message))
        {
            if (message.To == 0)
            {
                inputs.OfferPeerMessage(new NodeInput.PeerMessage(message.From, message.Message, 64));
                continue;
            }

            ReplicaCore to = followers[message.To - 1];
            to.Step(message.From, message.Message);
            foreach (OutboundMessage outbound in to.TakeReady().Messages)
            {
                for (int peer = 0; peer < 4; peer++)
                {
                    if (peer != to.Id && (outbound.To is null || outbound.To == peer))
                    {
                        inFlight.Enqueue((to.Id, peer, outbound.Message));
                    }
                }
            }
        }

        // The leader's own votes reach the followers too, though their three suffice; drained so the next PROPOSE is next.
        while (links.Broadcasts.TryTake(out byte[]? sent))
        {
            if (MessageCodec.Decode(sent, limits) is Propose unexpected)
            {
                Assert.Fail($"a PROPOSE of instance {unexpected.Instance} before instance 1 was decided");
            }
        }

        stop.ThrowIfCancellationRequested();
    }
}
