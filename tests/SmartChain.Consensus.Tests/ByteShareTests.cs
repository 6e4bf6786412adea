using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Tests;

/// <summary>
/// Issue 14 (point 6, the core's part): the early-message buffer and the messages held for the next view give each
/// peer a share by bytes, not only by count. Before, a Byzantine peer (not even the leader) could park 1,024 maximal
/// PROPOSEs in each: about 2 × 1,024 × 5 MiB on every correct replica.
/// </summary>
public sealed class ByteShareTests : IDisposable
{
    private static readonly long Share = new ConsensusOptions().BufferedBytesPerPeer;
    private readonly TestCluster _cluster = new();
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);
    private readonly Ed25519KeyPair _mallory = TestCluster.Key(2);

    public void Dispose()
    {
        _alice.Dispose();
        _mallory.Dispose();
        _cluster.Dispose();
    }

    // 64 requests of 16 KB: a PROPOSE of about 1 MiB. The flood shares one batch; the core charges each copy in full.
    private SignedRequest[] LargeBatch() =>
        [.. Enumerable.Range(1, 64).Select(s => TestCluster.Request(_mallory, (ulong)s, new string('x', 16_000)))];

    [Fact]
    public void A_peer_flooding_large_early_PROPOSEs_keeps_at_most_its_byte_share_and_honest_early_messages_are_kept()
    {
        SignedRequest[] batch = LargeBatch();
        long size = MessageSize.Of(new Propose(0, 2, 0, batch));
        Assert.InRange(size, 1_000_000, 2L << 20);

        // Replica 2, not the leader, sends a PROPOSE for each of the next 64 instances, 1,024 of them: its count share.
        for (int i = 0; i < 1024; i++)
        {
            _cluster.Inject(from: 2, to: 1, new Propose(0, 2 + (i % 64), 0, batch));
        }

        long held = _cluster.Cores[1].BufferedBytesFrom(2);
        Assert.True(held <= Share, $"replica 1 keeps {held:N0} B of replica 2's early messages; the share is {Share:N0} B");
        Assert.True(held > Share - size, $"the share is used: {held:N0} B");
        Assert.Contains(_cluster.Events[1], e => e.From == 2 && e.Kind == "buffer-share-full");

        // The leader's early PROPOSE for instance 2 is still kept, and handled once instance 1 is decided.
        SignedRequest next = TestCluster.Request(_alice, 2);
        var early = new Propose(0, 2, 0, [next]);
        _cluster.Inject(from: 0, to: 1, early);
        Assert.Equal(MessageSize.Of(early), _cluster.Cores[1].BufferedBytesFrom(0));
        Assert.DoesNotContain(_cluster.Events[1], e => e.From == 0);

        _cluster.Submit(TestCluster.Request(_alice, 1));
        Assert.All(_cluster.Decisions, d => Assert.Equal(1, Assert.Single(d).Instance));
        Assert.Contains(_cluster.Sent, s => s.From == 1 && s.Message is Write { Instance: 2 });
        Assert.Equal(0, _cluster.Cores[1].BufferedBytesFrom(0));
        Assert.True(_cluster.Cores[1].BufferedBytesFrom(2) < held, "instance 2's messages left replica 2's share");
    }

    [Fact]
    public void A_peer_flooding_large_messages_for_the_next_view_holds_at_most_its_byte_share()
    {
        SignedRequest[] batch = LargeBatch();
        for (int i = 0; i < 1024; i++)
        {
            _cluster.Inject(from: 2, to: 1, new Propose(1, 2 + (i % 64), 0, batch));
        }

        long held = _cluster.Cores[1].HeldBytesFrom(2);
        Assert.True(held <= Share, $"replica 1 holds {held:N0} B of replica 2's next-view messages; the share is {Share:N0} B");
        Assert.Contains(_cluster.Events[1], e => e.From == 2 && e.Kind == "hold-share-full");

        // An honest peer's message for the next view is still held.
        var write = new Write(1, 1, 0, Hash256.Zero, new byte[64]);
        _cluster.Inject(from: 3, to: 1, write);
        Assert.Equal(MessageSize.Of(write), _cluster.Cores[1].HeldBytesFrom(3));
        Assert.DoesNotContain(_cluster.Events[1], e => e.From == 3);
    }

    [Fact]
    public void One_message_larger_than_the_share_is_kept_when_the_peer_has_nothing_else_kept()
    {
        // A share smaller than the largest message must not stall a peer: its first message is kept whatever its size.
        var options = new ConsensusOptions { BufferedBytesPerPeer = 1000 };
        var core = new ReplicaCore(1, _cluster.View, TestCluster.Chain, _cluster.Keys[1], options, r => r.Verify(TestCluster.Chain));
        var big = new Propose(0, 2, 0, LargeBatch());
        core.Step(0, big);
        Assert.Equal(MessageSize.Of(big), core.BufferedBytesFrom(0));
        core.Step(0, big with { Instance = 3 });
        Assert.Equal(MessageSize.Of(big), core.BufferedBytesFrom(0));
        Assert.Equal("buffer-share-full", Assert.Single(core.TakeReady().Events).Kind);

        core.Step(0, big with { ViewId = 1 });
        Assert.Equal(MessageSize.Of(big), core.HeldBytesFrom(0));
        core.Step(0, big with { ViewId = 1, Instance = 3 });
        Assert.Equal(MessageSize.Of(big), core.HeldBytesFrom(0));
        Assert.Equal("hold-share-full", Assert.Single(core.TakeReady().Events).Kind);
    }

    [Fact]
    public void MessageSize_is_the_encoded_length_of_every_message_type()
    {
        SignedRequest r1 = TestCluster.Request(_alice, 1);
        SignedRequest r2 = TestCluster.Request(_mallory, 7, "xyz");
        Hash256 h = Hash256.Compute("h"u8);
        byte[] sig = new byte[64];
        var decision = new DecisionMessage(3, 8, 1, [r1, r2], new DecisionProof([new AcceptVote(0, sig), new AcceptVote(2, sig)]));
        var certificate = new WriteCertificate(9, 1, h, [r2], [(0, sig), (1, sig), (3, sig)]);
        var full = new StopData(3, 9, 2, decision, certificate, sig);
        var empty = new StopData(3, 9, 2, null, null, sig);
        ConsensusMessage[] messages =
        [
            new Propose(3, 9, 2, [r1, r2]), new Propose(3, 9, 2, []), new Forward(3, 9, 2, [r2]),
            new Write(3, 9, 2, h, sig), new Accept(3, 9, 2, h, sig), decision, new Fetch(3, 9, 2), new StopMessage(3, 9, 2),
            full, empty, new Sync(3, 9, 2, [(0, full), (1, empty)], [r1]), new Sync(3, 9, 2, [], []),
        ];
        foreach (ConsensusMessage message in messages)
        {
            Assert.Equal(MessageCodec.Encode(message).Length, MessageSize.Of(message));
        }
    }
}
