using SmartChain.Node.Ordering;

namespace SmartChain.Node.Tests;

/// <summary>
/// A leader waits for a batch three quarters the size of its last, at most half its last proposal's ordering time (and
/// <see cref="ProposalPatience.MaxPatience"/>), and stops waiting once <see cref="ProposalPatience.Lull"/> passes with no
/// request arriving.
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

    private static bool Hold(ProposalPatience patience, bool couldPropose, int pooled) => patience.Hold(couldPropose, pooled, out _);

    // Proposes a batch of `batch` that takes `ordering` to be ordered: the next look at the patience times it.
    private static void Propose(ProposalPatience patience, SteppedTime time, int batch, TimeSpan ordering)
    {
        Assert.False(Hold(patience, true, batch));
        Assert.False(Hold(patience, false, 0)); // the proposal is open
        time.Advance(ordering);
    }

    [Fact]
    public void Under_light_load_a_proposal_never_waits()
    {
        var patience = new ProposalPatience(new SteppedTime(), maxBatch: 1024);
        for (int i = 0; i < 5; i++)
        {
            Assert.False(Hold(patience, true, 1));
        }
    }

    [Fact]
    public void After_a_large_batch_a_small_pool_waits_until_it_fills()
    {
        var time = new SteppedTime();
        var patience = new ProposalPatience(time, maxBatch: 1024);
        Propose(patience, time, 80, TimeSpan.FromMilliseconds(20));

        Assert.True(patience.Hold(true, 10, out TimeSpan lookAgainIn));
        Assert.Equal(ProposalPatience.Lull, lookAgainIn); // the lull ends first
        time.Advance(Tenth);
        Assert.True(Hold(patience, true, 40));
        Assert.False(Hold(patience, true, 60)); // three quarters of 80: released at once
    }

    [Fact]
    public void A_wait_ends_when_its_patience_runs_out_even_while_requests_arrive()
    {
        var time = new SteppedTime();
        var patience = new ProposalPatience(time, maxBatch: 1024);
        Propose(patience, time, 100, TimeSpan.FromMilliseconds(50)); // half of it is more than the maximum
        Assert.Equal(ProposalPatience.MaxPatience, patience.Patience);

        int pooled = 5;
        Assert.True(Hold(patience, true, pooled));
        TimeSpan waited = TimeSpan.Zero;
        while (waited + Tenth * 5 < ProposalPatience.MaxPatience)
        {
            time.Advance(Tenth * 5);
            waited += Tenth * 5;
            Assert.True(Hold(patience, true, ++pooled), $"released after {waited.TotalMilliseconds} ms");
        }

        time.Advance(ProposalPatience.MaxPatience - waited);
        Assert.False(Hold(patience, true, ++pooled));
    }

    [Fact]
    public void A_wait_ends_after_a_lull_with_no_request_arriving()
    {
        var time = new SteppedTime();
        var patience = new ProposalPatience(time, maxBatch: 1024);
        Propose(patience, time, 100, TimeSpan.FromMilliseconds(20));

        Assert.True(Hold(patience, true, 5));
        time.Advance(ProposalPatience.Lull / 2);
        Assert.True(patience.Hold(true, 5, out TimeSpan lookAgainIn));
        Assert.Equal(ProposalPatience.Lull / 2, lookAgainIn);
        time.Advance(ProposalPatience.Lull / 2);
        Assert.False(Hold(patience, true, 5)); // nothing came for a whole lull: no reason to wait longer
    }

    [Fact]
    public void A_fast_instance_makes_a_short_patience()
    {
        var time = new SteppedTime();
        var patience = new ProposalPatience(time, maxBatch: 1024);
        Propose(patience, time, 100, TimeSpan.FromMilliseconds(0.6));
        Assert.True(patience.Hold(true, 5, out TimeSpan lookAgainIn));
        Assert.Equal(TimeSpan.FromMilliseconds(0.3), patience.Patience);
        Assert.Equal(TimeSpan.FromMilliseconds(0.3), lookAgainIn);
        time.Advance(TimeSpan.FromMilliseconds(0.3));
        Assert.False(Hold(patience, true, 6));
    }

    [Fact]
    public void Nothing_to_propose_never_holds_and_restarts_the_wait()
    {
        var time = new SteppedTime();
        var patience = new ProposalPatience(time, maxBatch: 1024);
        Propose(patience, time, 100, TimeSpan.FromMilliseconds(20));
        Assert.True(Hold(patience, true, 1));
        Assert.False(Hold(patience, couldPropose: false, pooled: 1)); // e.g. a view change started
        time.Advance(ProposalPatience.MaxPatience);
        Assert.True(Hold(patience, true, 1)); // a new wait: the time before did not count
    }

    [Fact]
    public void A_pool_larger_than_a_batch_counts_as_a_full_batch()
    {
        var patience = new ProposalPatience(new SteppedTime(), maxBatch: 8);
        Assert.False(Hold(patience, true, 5_000));
        Assert.False(Hold(patience, true, 6)); // three quarters of 8, not of 5,000
    }
}
