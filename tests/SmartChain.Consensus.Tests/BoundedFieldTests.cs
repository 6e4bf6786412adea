using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Consensus.Tests;

/// <summary>
/// Issue 14 points 2 and 3: every number a peer puts in a message is bounded against the receiver's state or proven
/// before it moves anything. One Byzantine replica (signing with its own valid key) sends what a correct one never
/// would; the correct replicas drop it as evidence and keep changing leader and deciding.
/// </summary>
public sealed class BoundedFieldTests : IDisposable
{
    private readonly TestCluster _cluster = new(requestTimeoutTicks: 20);
    private readonly Ed25519KeyPair _alice = TestCluster.Key(1);

    public void Dispose()
    {
        _alice.Dispose();
        _cluster.Dispose();
    }

    [Fact]
    public void An_invalid_SYNC_for_a_far_future_regency_does_not_disable_leader_change()
    {
        // Replica 0 is Byzantine: the leader of regency 0 and of regency 1,000,000 (1,000,000 mod 4 = 0). It sends an
        // invalid SYNC for that regency to everyone, then stops leading. Before the fix each correct replica answered
        // with STOP(1,000,001), nobody joined it, and the replica never timed out again.
        _cluster.Filter = (from, to, _) => from != 0 && to != 0;
        for (int i = 1; i < 4; i++)
        {
            _cluster.Inject(from: 0, to: i, new Sync(0, 1, 1_000_000, [], []));
        }

        for (int i = 1; i < 4; i++)
        {
            Assert.Contains(_cluster.Events[i], e => e.From == 0 && e.Kind == "too-far-ahead");
            Assert.DoesNotContain(_cluster.Sent, s => s.From == i && s.Message is StopMessage);
        }

        // Replicas 1 and 2 hold the request and time out; replica 3 has nothing pending and must join their STOPs.
        _cluster.Submit(TestCluster.Request(_alice, 1), 1, 2);

        // docs/consensus.md: from a clean state, decided within 3T + 3 RetransmitTicks (+ 6 delays, none here) = 75 ticks.
        int ticks = 0;
        while (ticks < 200 && _cluster.Decisions.Skip(1).Any(d => d.Count == 0))
        {
            _cluster.TickAll(1);
            ticks++;
        }

        Assert.InRange(ticks, 1, (3 * 20) + (3 * 5));
        for (int i = 1; i < 4; i++)
        {
            Decision decision = Assert.Single(_cluster.Decisions[i]);
            Assert.Equal((1L, 1), (decision.Instance, decision.Regency));
            Assert.Equal(1, _cluster.Cores[i].Regency);
        }

        Assert.Equal(1, _cluster.Cores[3].RegencyChanges.GetValueOrDefault("joined"));

        // And they keep deciding under the new leader.
        _cluster.Submit(TestCluster.Request(_alice, 2), 1, 2, 3);
        Assert.All(_cluster.Decisions.Skip(1), d => Assert.Equal((2, 1), (d.Count, d[^1].Regency)));
    }

    [Fact]
    public void A_flood_of_one_invalid_SYNC_is_checked_once_then_dropped_unchecked()
    {
        // Replica 1 leads regency 1 and lies in its SYNC; repeating it (each copy would cost Q signature checks on the
        // consensus thread) must not buy it more checks: the second and later copies are dropped without one.
        for (int copy = 0; copy < 100; copy++)
        {
            _cluster.Inject(from: 1, to: 2, new Sync(0, 1, 1, [], []));
        }

        Assert.Equal(1, _cluster.Events[2].Count(e => e.From == 1 && e.Kind == "invalid-sync" && e.IsEvidence));
        Assert.Equal(0, _cluster.Cores[2].Regency);

        // Its lie moved nothing: regency 0 still decides.
        _cluster.Submit(TestCluster.Request(_alice, 1));
        Assert.All(_cluster.Decisions, d => Assert.Equal((1L, 0), (d.Single().Instance, d.Single().Regency)));
    }

    [Fact]
    public void A_SYNC_with_a_negative_regency_is_evidence_and_throws_nothing()
    {
        _cluster.Inject(from: 3, to: 1, new Sync(0, 1, -1, [], []));
        _cluster.Inject(from: 3, to: 1, new StopMessage(0, 1, -5));
        _cluster.Inject(from: 3, to: 1, new Write(0, 1, int.MinValue, Hash256.Zero, new byte[64]));

        Assert.Equal(3, _cluster.Events[1].Count(e => e.Kind == "invalid-regency" && e.From == 3 && e.IsEvidence));
        _cluster.Submit(TestCluster.Request(_alice, 1));
        Assert.All(_cluster.Decisions, d => Assert.Equal((1L, 0), (d.Single().Instance, d.Single().Regency)));
    }

    [Fact]
    public void A_STOPDATA_that_claims_an_unproven_instance_does_not_stall_proposing()
    {
        // Replica 0 is Byzantine: the leader of regency 0, it orders nothing, and in regency 1 it sends the new leader a
        // signed STOPDATA claiming instance 1000 with no last decision and no certificate (replica 3's STOPDATA is
        // still on its way). Before the fix the leader took the claim on trust and synced everyone to instance 1000:
        // nothing below it could be proposed, and regency 1 was lost to a timeout.
        _cluster.Filter = (from, to, m) => from != 0 && to != 0 && !(from == 3 && m is StopData);
        _cluster.Submit(TestCluster.Request(_alice, 1), 1, 2, 3);
        for (int t = 0; t < 100 && _cluster.Cores[1].Regency == 0; t++)
        {
            _cluster.TickAll(1);
        }

        Assert.Equal(1, _cluster.Cores[1].Regency);
        byte[] signature = _cluster.Keys[0].Sign(StopData.Statement(TestCluster.Chain, 0, 1000, 1, null));
        _cluster.Inject(from: 0, to: 1, new StopData(0, 1000, 1, null, null, signature));
        Assert.Contains(_cluster.Events[1], e => e.Kind == "unproven-instance" && e.From == 0);

        // Replica 3's STOPDATA arrives with its next retransmission; the request is decided at instance 1, in regency 1.
        _cluster.Filter = (from, to, _) => from != 0 && to != 0;
        _cluster.TickAll(30);
        Assert.DoesNotContain(_cluster.Sent, s => s.Message is Sync { Instance: not 1 });
        for (int i = 1; i < 4; i++)
        {
            Decision decision = Assert.Single(_cluster.Decisions[i]);
            Assert.Equal((1L, 1), (decision.Instance, decision.Regency));
        }
    }

    [Fact]
    public void One_replica_cannot_fill_the_buffer_of_early_messages_for_the_others()
    {
        // Replica 3 floods replica 1 with messages for instances just ahead (within the window), as many as the whole
        // buffer holds. Before the fix the buffer was shared, and replica 2's early WRITE was refused as too far ahead.
        for (int k = 0; k < 4096; k++)
        {
            _cluster.Cores[1].Step(3, new Write(0, 2 + (k % 64), 0, Hash256.Zero, new byte[64]));
        }

        _cluster.Cores[1].TakeReady();
        _cluster.Inject(from: 2, to: 1, new Write(0, 2, 0, Hash256.Zero, new byte[64]));

        Assert.DoesNotContain(_cluster.Events[1], e => e.From == 2);
        Assert.Contains($"buffered {(4096 / 4) + 1}", _cluster.Cores[1].Status, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_FETCHes_of_one_decision_are_answered_once_per_tick()
    {
        // A small FETCH buys a whole batch in answer: a Byzantine replica asking for the same recent decision again and
        // again made the replica send that batch once per FETCH (an amplifier). Before the fix: 1000 answers.
        _cluster.Submit(TestCluster.Request(_alice, 1));
        int before = _cluster.Sent.Count;
        for (int k = 0; k < 1000; k++)
        {
            _cluster.Cores[1].Step(3, new Fetch(0, 1, 0));
        }

        int answers = _cluster.Cores[1].TakeReady().Messages.Count(m => m.To == 3 && m.Message is DecisionMessage);
        Assert.Equal(1, answers);
        Assert.Equal(before, _cluster.Sent.Count);

        // The next tick it is served again (a correct replica that lost the answer asks again after RetransmitTicks).
        _cluster.Cores[1].Tick();
        _cluster.Cores[1].Step(3, new Fetch(0, 1, 0));
        Assert.Contains(_cluster.Cores[1].TakeReady().Messages, m => m.To == 3 && m.Message is DecisionMessage);
    }

    [Fact]
    public void One_replica_cannot_fill_what_is_held_for_the_next_view()
    {
        // Messages for the next view wait until execution says what it is. Replica 3 sends as many as may wait; before
        // the fix that crowded out everyone else, and replica 2's message for the next view was dropped.
        for (int k = 0; k < 4096; k++)
        {
            _cluster.Cores[1].Step(3, new Write(0 + 1, 1, 0, Hash256.Zero, new byte[64]));
        }

        _cluster.Cores[1].Step(2, new Write(1, 1, 0, Hash256.Zero, new byte[64]));
        Assert.EndsWith($"held {(4096 / 4) + 1}", _cluster.Cores[1].Status, StringComparison.Ordinal);
    }
}
