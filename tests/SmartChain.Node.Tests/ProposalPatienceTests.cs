using SmartChain.Node.Ordering;

namespace SmartChain.Node.Tests;

/// <summary>A leader waits at most <see cref="ProposalPatience.Patience"/> for a batch three quarters the size of its last.</summary>
public sealed class ProposalPatienceTests
{
    private sealed class SteppedTime : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now;

        public void Advance(TimeSpan by) => Now += by.Ticks;
    }

    [Fact]
    public void Under_light_load_a_proposal_never_waits()
    {
        var patience = new ProposalPatience(new SteppedTime(), maxBatch: 1024);
        for (int i = 0; i < 5; i++)
        {
            Assert.False(patience.Wait(couldPropose: true, pooled: 1));
        }
    }

    [Fact]
    public void After_a_large_batch_a_small_pool_waits_until_it_fills_or_the_patience_runs_out()
    {
        var time = new SteppedTime();
        var patience = new ProposalPatience(time, maxBatch: 1024);
        Assert.False(patience.Wait(true, 80)); // sets the last batch: 80

        Assert.True(patience.Wait(true, 10));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(patience.Wait(true, 40));
        Assert.False(patience.Wait(true, 60)); // three quarters of 80: released at once

        Assert.True(patience.Wait(true, 5)); // the last batch is now 60
        time.Advance(ProposalPatience.Patience);
        Assert.False(patience.Wait(true, 5)); // waited long enough: the 5 go, and the next target is small
        Assert.False(patience.Wait(true, 4));
    }

    [Fact]
    public void Nothing_to_propose_never_holds_and_restarts_the_wait()
    {
        var time = new SteppedTime();
        var patience = new ProposalPatience(time, maxBatch: 1024);
        Assert.False(patience.Wait(true, 100));
        Assert.True(patience.Wait(true, 1));
        Assert.False(patience.Wait(couldPropose: false, pooled: 1)); // e.g. a proposal is already open
        time.Advance(ProposalPatience.Patience);
        Assert.True(patience.Wait(true, 1)); // a new wait: the time before did not count
    }

    [Fact]
    public void A_pool_larger_than_a_batch_counts_as_a_full_batch()
    {
        var patience = new ProposalPatience(new SteppedTime(), maxBatch: 8);
        Assert.False(patience.Wait(true, 5_000));
        Assert.False(patience.Wait(true, 6)); // three quarters of 8, not of 5,000
    }
}
