using System.Collections.Concurrent;
using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Load;

namespace SmartChain.Node.Tests;

/// <summary>The load generator of the demo and the benchmark, against four real replica hosts.</summary>
public class LoadRunnerTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Spend_chains_run_without_errors_report_progress_and_leave_verified_ledgers()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak);
        using var identity = Ed25519KeyPair.Generate();
        await using ChainClient first = await ChainClient.ConnectAsync(net.Genesis, identity, null, Timeout());
        await using ChainClient second = await ChainClient.ConnectAsync(net.Genesis, identity, null, Timeout());
        using var workload = new SpendStreams(net.Chain, net.Minter, streams: 8, seed: 3);
        var progress = new ConcurrentQueue<LoadProgress>();
        bool started = false;
        var plan = new LoadPlan(TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5))
        {
            ProgressInterval = TimeSpan.FromSeconds(0.5),
            MeasurementStarted = () => started = true,
        };

        LoadResult result = await LoadRunner.RunAsync([first, second], workload, plan, progress.Enqueue, Timeout());

        Assert.True(started);
        Assert.Equal((8, 0L), (result.Streams, result.Errors));
        Assert.True(result.Transactions > 8, $"{result.Transactions} transactions");
        Assert.True(result.P50Ms > 0 && result.P50Ms <= result.P99Ms && result.P99Ms <= result.MaxMs);
        Assert.Contains(progress, p => p.WarmingUp);
        Assert.Contains(progress, p => !p.WarmingUp && p.TxPerSecond > 0);

        // Every measured request is traced, in slot order, with the block its reply names.
        Assert.Equal(result.Transactions, result.Requests.Count);
        Assert.All(result.Requests, t => Assert.True(t.Slot <= t.Sent && t.Sent < t.Done && t.Block > 0, t.ToString()));
        Assert.True(result.Requests.Zip(result.Requests.Skip(1)).All(p => p.First.Slot <= p.Second.Slot));
        // The histogram keeps 3 significant digits, the trace the microsecond.
        Assert.Equal(result.MaxMs, LatencyTail.Of(result.Requests, 1).Slowest[0].Trace.Latency / 1000.0, result.MaxMs / 500);

        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }

    [Fact]
    public async Task Paced_load_offers_requests_at_its_rate_not_as_fast_as_the_network_answers()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak);
        using var identity = Ed25519KeyPair.Generate();
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, identity, null, Timeout());
        using var workload = new SpendStreams(net.Chain, net.Minter, streams: 8, seed: 5);
        var plan = new LoadPlan(TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(1.5)) { Rate = 20 };

        LoadResult result = await LoadRunner.RunAsync([client], workload, plan, null, Timeout());

        // 30 slots fall in the measured 1.5 s; a closed loop of 8 streams does hundreds here. Replies of slots taken in the
        // warm-up may land in the window, and a slot late in it may not be answered before it ends.
        Assert.Equal(0L, result.Errors);
        Assert.InRange(result.Transactions, 20, 40);
        Assert.True(result.P50Ms > 0 && result.P50Ms <= result.P99Ms);
    }

    [Fact]
    public void Pacer_hands_every_caller_its_own_slot_spaced_by_the_rate()
    {
        var pacer = new Pacer(1000, start: 5);
        long[] slots = new long[2000];
        Parallel.For(0, slots.Length, i => slots[i] = pacer.Next());
        Array.Sort(slots);
        double spacing = System.Diagnostics.Stopwatch.Frequency / 1000.0;
        Assert.Equal(5, slots[0]);
        Assert.Equal(slots.Length, slots.Distinct().Count());
        Assert.InRange(slots[^1] - slots[0], (long)(spacing * (slots.Length - 1)) - 1, (long)(spacing * (slots.Length - 1)) + 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pacer(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Pacer(double.NaN, 0));
    }

    [Fact]
    public void Spend_streams_are_reproducible_from_their_seed()
    {
        using var minter = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)4, 32).ToArray());
        using var a = new SpendStreams("c", minter, 3, seed: 9);
        using var b = new SpendStreams("c", minter, 3, seed: 9);
        using var c = new SpendStreams("c", minter, 3, seed: 10);
        Assert.Equal(a.Setup(5).Select(r => r.Digest), b.Setup(5).Select(r => r.Digest));
        Assert.Equal(a.NextRequest(1, 5).Digest, b.NextRequest(1, 5).Digest);
        Assert.NotEqual(a.Setup(5)[0].Digest, c.Setup(5)[0].Digest);
    }
}
