using SmartChain.Load;

namespace SmartChain.Node.Tests;

/// <summary><see cref="LatencyTail"/>: the buckets, the counts over a bound, and what each slow request waited for.</summary>
public sealed class LatencyTailTests
{
    [Fact]
    public void A_request_left_out_of_the_blocks_shows_its_wait_to_be_ordered_and_a_late_reply_its_lag()
    {
        RequestTrace[] traces =
        [
            // Block 7: three requests sent around 10 ms, first reply at 50 ms; the third's reply came 400 ms later.
            new(0, 10_000, 10_000, 50_000, 7, 7),
            new(1, 11_000, 12_000, 51_000, 7, 7),
            new(2, 12_000, 12_000, 450_000, 7, 7),
            // Block 9: one request sent at 0 and left out until a request sent at 1,005 ms joined it.
            new(3, 0, 0, 1_060_000, 9, 9),
            new(4, 1_005_000, 1_005_000, 1_055_000, 9, 9),
        ];

        LatencyTail tail = LatencyTail.Of(traces, slowest: 2);

        Assert.Equal(5, tail.Requests);
        Assert.Equal(2, tail.Over(100));
        Assert.Equal(1, tail.Over(500));
        Assert.Equal(1, tail.Buckets.Single(b => b.UpToMs == 1250).Count);
        Assert.Equal(1, tail.Buckets.Single(b => b.UpToMs == 500).Count);
        Assert.Equal(traces.Length, tail.Buckets.Sum(b => b.Count));

        SlowRequest leftOut = tail.Slowest[0];
        Assert.Equal(3, leftOut.Trace.Stream);
        Assert.Equal(1_005_000, leftOut.WaitedToBeOrdered);
        Assert.Equal(50_000, leftOut.BlockTime);
        Assert.Equal(5_000, leftOut.ReplyLag);

        SlowRequest late = tail.Slowest[1];
        Assert.Equal(2, late.Trace.Stream);
        Assert.Equal(400_000, late.ReplyLag);
        Assert.Equal(0, late.WaitedToBeOrdered);
        Assert.Equal(3, late.BlockRequests);
    }
}
