using SmartChain.Cli.Bench;
using SmartChain.Load;

namespace SmartChain.Cli.Tests;

/// <summary>How the benchmark and the demo read a load's timeline: warm start, and CPU per transaction.</summary>
public class WarmStartTests
{
    /// <summary>A timeline sampled every 100 ms: <paramref name="rate"/> gives tx/s at each moment.</summary>
    private static List<TimelineSample> Timeline(double seconds, Func<double, double> rate)
    {
        var samples = new List<TimelineSample> { new(TimeSpan.Zero, 0) };
        double accepted = 0;
        for (int tenth = 1; tenth <= seconds * 10; tenth++)
        {
            accepted += rate((tenth - 1) / 10.0) / 10;
            samples.Add(new TimelineSample(TimeSpan.FromSeconds(tenth / 10.0), (long)accepted));
        }

        return samples;
    }

    [Fact]
    public void A_slow_start_is_reached_when_a_half_second_window_first_runs_at_80_percent_of_the_second_half()
    {
        // 2 s at 100 tx/s (a cold JIT), then 1,000 tx/s: the first window at ≥ 800 tx/s is [2.0, 2.5] at the earliest.
        WarmStart warm = WarmStart.Of(Timeline(10, t => t < 2 ? 100 : 1000))!;

        Assert.Equal(1000, warm.SteadyTxPerSecond, precision: 0);
        Assert.Equal(100, warm.FirstSecondTxPerSecond, precision: 0);
        Assert.Equal(0.8, warm.Fraction);
        Assert.NotNull(warm.ReachedAt);
        Assert.InRange(warm.ReachedAt.Value.TotalSeconds, 2.4, 2.5);
    }

    [Fact]
    public void A_load_at_full_speed_from_the_start_is_reached_at_the_first_window()
    {
        WarmStart warm = WarmStart.Of(Timeline(4, _ => 2000))!;
        Assert.Equal(TimeSpan.FromSeconds(0.5), warm.ReachedAt);
        Assert.Equal(2000, warm.FirstSecondTxPerSecond, precision: 0);
    }

    [Fact]
    public void Nothing_accepted_never_counts_as_reached_and_a_short_timeline_tells_nothing()
    {
        Assert.Null(WarmStart.Of(Timeline(4, _ => 0))!.ReachedAt);
        Assert.Null(WarmStart.Of(Timeline(0.9, _ => 1000)));
        Assert.Null(WarmStart.Of([]));
    }

    [Fact]
    public void A_stall_after_the_start_does_not_hide_a_fast_first_window()
    {
        // "Reached" is the first time, not "stayed": a leader change at 3 s does not move it.
        WarmStart warm = WarmStart.Of(Timeline(10, t => t is > 3 and < 5 ? 0 : 1000))!;
        Assert.Equal(TimeSpan.FromSeconds(0.5), warm.ReachedAt);
    }

    [Fact]
    public void Cpu_and_batch_per_transaction_are_the_window_totals_over_its_transactions()
    {
        var result = new LoadResult(256, 5_000, TimeSpan.FromSeconds(10), 1, 2, 3, 4, 0);
        var point = new BenchPoint("strong", "spend", 64, 1, result, [0.5, 0.25], Sweep: false, LoadGeneratorCpu: 1.0);

        // 0.5 cores for 10 s is 5 CPU seconds over 5,000 transactions: 1,000 µs each.
        Assert.Equal([1000.0, 500.0], point.CpuMicrosPerTx);
        Assert.Equal(750.0, point.MeanCpuMicrosPerTx);
        Assert.Equal(2000.0, point.LoadGeneratorMicrosPerTx);
        Assert.Null((point with { CpuPerReplica = [] }).MeanCpuMicrosPerTx);
        Assert.Equal(0.0, (point with { Result = result with { Transactions = 0 } }).CpuMicrosPerTx[0]);

        // 5,000 transactions in 40 blocks: batches of 125; no block count (or none added) tells no batch size.
        Assert.Equal(125.0, (point with { Blocks = 40 }).TxPerBlock);
        Assert.Null(point.TxPerBlock);
        Assert.Null((point with { Blocks = 0 }).TxPerBlock);
    }

    [Fact]
    public void Allocations_and_gc_pause_per_transaction_are_the_replicas_window_totals_over_its_transactions_and_seconds()
    {
        var result = new LoadResult(256, 5_000, TimeSpan.FromSeconds(10), 1, 2, 3, 4, 0);
        var point = new BenchPoint("strong", "spend", 64, 1, result, [0.5, 0.25], Sweep: false, RuntimePerReplica:
            [new Network.Client.RuntimeCounters(50_000_000, 30, 2, 0, TimeSpan.FromMilliseconds(100).Ticks),
             new Network.Client.RuntimeCounters(25_000_000, 10, 0, 0, TimeSpan.FromMilliseconds(50).Ticks)]);

        // 50 MB over 5,000 transactions is 10,000 B each; 100 ms of pause in 10 s is 10 ms per second.
        Assert.Equal([10_000.0, 5_000.0], point.AllocatedBytesPerTx);
        Assert.Equal(7_500.0, point.MeanAllocatedBytesPerTx);
        Assert.Equal([10.0, 5.0], point.GcPauseMsPerSecond);
        Assert.Equal(7.5, point.MeanGcPauseMsPerSecond);
        Assert.Equal((20.0, 1.0, 0.0), point.MeanCollections);

        // No replica answered at both edges: no figure, rather than zero.
        BenchPoint unanswered = point with { RuntimePerReplica = null };
        Assert.Null(unanswered.MeanAllocatedBytesPerTx);
        Assert.Null(unanswered.MeanGcPauseMsPerSecond);
        Assert.Null(unanswered.MeanCollections);
    }
}
