using SmartChain.Node.Ordering;

namespace SmartChain.Node.Tests;

/// <summary>
/// A leader waits for a batch three quarters the size of its last, at most half its last proposal's ordering time (and
/// <see cref="ProposalPatience.MaxPatience"/>) counted from that proposal's decision, and stops waiting once
/// <see cref="ProposalPatience.Lull"/> passes with no request arriving.
/// </summary>
public sealed class ProposalPatienceTests
{
    private static readonly TimeSpan Tenth = TimeSpan.FromMilliseconds(0.1);

    private sealed class SteppedTime : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now;

        public void Advance(TimeSpan by) => Now += by.Ticks;
    }

    // A leader's patience and the instances it has decided, as the driver asks it.
    private sealed class Leader
    {
        public Leader(int maxBatch = 1024) => Patience = new ProposalPatience(Time, maxBatch);

        public SteppedTime Time { get; } = new();

        public ProposalPatience Patience { get; }

        public long Decided { get; private set; }

        public bool Hold(int pooled) => Patience.Hold(true, pooled, Decided, out _);

        public bool Hold(int pooled, out TimeSpan lookAgainIn) => Patience.Hold(true, pooled, Decided, out lookAgainIn);

        // A batch of `batch` proposed (it must be released) and decided `ordering` later, as the driver sees it.
        public void Propose(int batch, TimeSpan ordering)
        {
            Assert.False(Hold(batch));
            Assert.False(Patience.Hold(false, 0, Decided, out _)); // the proposal is open
            Time.Advance(ordering);
            Decided++;
            Assert.False(Patience.Hold(false, 0, Decided, out _)); // decided; the pool is empty for now
        }
    }

    [Fact]
    public void Under_light_load_a_proposal_never_waits()
    {
        Leader leader = new Leader();
        for (int i = 0; i < 5; i++)
        {
            Assert.False(leader.Hold(1));
        }
    }

    [Fact]
    public void After_a_large_batch_a_small_pool_waits_until_it_fills()
    {
        Leader leader = new Leader();
        leader.Propose(80, TimeSpan.FromMilliseconds(20));

        Assert.True(leader.Hold(10, out TimeSpan lookAgainIn));
        Assert.Equal(ProposalPatience.Lull, lookAgainIn); // the lull ends first
        leader.Time.Advance(Tenth);
        Assert.True(leader.Hold(40));
        Assert.False(leader.Hold(60)); // three quarters of 80: released at once
    }

    [Fact]
    public void A_wait_ends_when_its_patience_runs_out_even_while_requests_arrive()
    {
        Leader leader = new Leader();
        leader.Propose(100, TimeSpan.FromMilliseconds(50)); // half of it is more than the maximum
        Assert.Equal(ProposalPatience.MaxPatience, leader.Patience.Patience);

        int pooled = 5;
        Assert.True(leader.Hold(pooled));
        TimeSpan waited = TimeSpan.Zero;
        while (waited + (Tenth * 5) < ProposalPatience.MaxPatience)
        {
            leader.Time.Advance(Tenth * 5);
            waited += Tenth * 5;
            Assert.True(leader.Hold(++pooled), $"released after {waited.TotalMilliseconds} ms");
        }

        leader.Time.Advance(ProposalPatience.MaxPatience - waited);
        Assert.False(leader.Hold(++pooled));
    }

    [Fact]
    public void A_wait_ends_after_a_lull_with_no_request_arriving()
    {
        Leader leader = new Leader();
        leader.Propose(100, TimeSpan.FromMilliseconds(20));

        Assert.True(leader.Hold(5));
        leader.Time.Advance(ProposalPatience.Lull / 2);
        Assert.True(leader.Hold(5, out TimeSpan lookAgainIn));
        Assert.Equal(ProposalPatience.Lull / 2, lookAgainIn);
        leader.Time.Advance(ProposalPatience.Lull / 2);
        Assert.False(leader.Hold(5)); // nothing came for a whole lull: no reason to wait longer
    }

    [Fact]
    public void A_fast_instance_makes_a_short_patience()
    {
        Leader leader = new Leader();
        leader.Propose(100, TimeSpan.FromMilliseconds(0.6));
        Assert.True(leader.Hold(5, out TimeSpan lookAgainIn));
        Assert.Equal(TimeSpan.FromMilliseconds(0.3), leader.Patience.Patience);
        Assert.Equal(TimeSpan.FromMilliseconds(0.3), lookAgainIn);
        leader.Time.Advance(TimeSpan.FromMilliseconds(0.3));
        Assert.False(leader.Hold(6));
    }

    [Fact]
    public void A_request_after_an_idle_spell_goes_at_once()
    {
        // A second reader's case: the ordering time used to be taken when the leader could next propose, idle time
        // included, so a fast deployment's lone request after an idle spell waited the whole lull.
        Leader leader = new Leader();
        leader.Propose(2, TimeSpan.FromMilliseconds(0.6));
        Assert.Equal(TimeSpan.FromMilliseconds(0.3), leader.Patience.Patience);
        leader.Time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.False(leader.Hold(1)); // fewer than three quarters of 2, but the pool has been short since the decision
    }

    [Fact]
    public void Nothing_to_propose_never_holds_and_restarts_the_wait()
    {
        Leader leader = new Leader();
        leader.Propose(100, TimeSpan.FromMilliseconds(20));
        Assert.True(leader.Hold(1));
        Assert.False(leader.Patience.Hold(couldPropose: false, pooled: 1, leader.Decided, out _)); // e.g. a view change started
        Assert.True(leader.Hold(1)); // a new wait, still within the patience counted from the decision
    }

    [Fact]
    public void A_pool_larger_than_a_batch_counts_as_a_full_batch()
    {
        Leader leader = new Leader(maxBatch: 8);
        Assert.False(leader.Hold(5_000));
        Assert.False(leader.Hold(6)); // three quarters of 8, not of 5,000
    }
}
