using System.Text.Json;
using SmartChain.Cli.Bench;
using SmartChain.Load;
using SmartChain.Network.Client;

namespace SmartChain.Cli.Tests;

/// <summary>
/// The GC totals a replica reports in its query answers are whatever it says: any value from 0 to <see cref="long.MaxValue"/>
/// passes the decoder, a replica restarted inside the measured window starts counting again, and a Byzantine one may
/// report anything. The benchmark must neither throw nor print a negative or infinite figure for them.
/// </summary>
public class BenchRuntimeFiguresTests
{
    private static readonly LoadResult TenSeconds = new(256, 5_000, TimeSpan.FromSeconds(10), 1, 2, 3, 4, 0);

    private static QueryResultMessage Answer(RuntimeCounters runtime) => new(1, 10, 3, ReadOnlyMemory<byte>.Empty) { Runtime = runtime };

    [Fact]
    public void Collections_at_the_top_of_the_range_are_averaged_without_overflowing()
    {
        var point = new BenchPoint("strong", "spend", 64, 1, TenSeconds, [], Sweep: false, RuntimePerReplica:
            [new RuntimeCounters(long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue), new RuntimeCounters(10, 10, 10, 10, 10)]);

        (double gen0, double gen1, double gen2) = point.MeanCollections!.Value;
        Assert.Equal(((double)long.MaxValue + 10) / 2, gen0);
        Assert.Equal(gen0, gen1);
        Assert.Equal(gen0, gen2);
    }

    [Fact]
    public void A_replica_whose_counters_went_back_is_left_out_of_the_window_rather_than_counted_negative()
    {
        var start = new Dictionary<int, QueryResultMessage>
        {
            [0] = Answer(new RuntimeCounters(1_000, 10, 2, 1, 500)),
            [1] = Answer(new RuntimeCounters(9_000_000, 400, 30, 5, 90_000)), // restarted before the end: its totals begin again
            [2] = Answer(new RuntimeCounters(long.MaxValue, 0, 0, 0, 0)), // nonsense at the start
        };
        var end = new Dictionary<int, QueryResultMessage>
        {
            [0] = Answer(new RuntimeCounters(51_000, 40, 3, 1, 1_500)),
            [1] = Answer(new RuntimeCounters(2_000, 3, 0, 0, 100)),
            [2] = Answer(new RuntimeCounters(5, 1, 0, 0, 0)),
            [3] = Answer(new RuntimeCounters(5, 1, 0, 0, 0)), // no start: left out as before
        };

        Assert.Equal([new RuntimeCounters(50_000, 30, 1, 0, 1_000)], BenchRunner.RuntimeWindows(start, end));
        Assert.Empty(BenchRunner.RuntimeWindows(null, end));
    }

    [Fact]
    public void A_window_of_no_measured_time_gives_zero_pause_per_second_and_a_report_that_writes()
    {
        var point = new BenchPoint("strong", "spend", 64, 1, TenSeconds with { Measured = TimeSpan.Zero, Transactions = 0 }, [], Sweep: false,
            RuntimePerReplica: [new RuntimeCounters(1_000, 1, 0, 0, TimeSpan.FromMilliseconds(5).Ticks)]);

        Assert.Equal([0.0], point.GcPauseMsPerSecond);
        Assert.Equal([0.0], point.AllocatedBytesPerTx);

        var results = new BenchResults(DateTime.UnixEpoch, new MachineCeilings(2, 1, 1, 1), 4, [point]);
        using JsonDocument json = JsonDocument.Parse(BenchReport.Json(results));
        JsonElement written = json.RootElement.GetProperty("points")[0];
        Assert.Equal(0, written.GetProperty("gcPauseMsPerSecondPerReplica")[0].GetDouble());
        string markdown = BenchReport.Markdown(results, "bench");
        Assert.DoesNotContain("Infinity", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", markdown, StringComparison.Ordinal);
    }
}
