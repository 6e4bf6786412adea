using System.Diagnostics;
using HdrHistogram;
using SmartChain.Client;
using SmartChain.Core.Requests;
using SmartChain.Network.Client;

namespace SmartChain.Load;

/// <summary>
/// Drives a workload's streams through clients (stream i uses client i mod n), closed loop: each stream sends its
/// next request as soon as the previous one is accepted; or, with <see cref="LoadPlan.Rate"/>, open loop at that rate
/// (each request waits for its <see cref="Pacer"/> slot). Latency is submit (or slot) to accepted reply, recorded in
/// microseconds in HdrHistogram. Warm-up transactions are not counted.
/// </summary>
public static class LoadRunner
{
    private const long MaxLatencyMicros = 120_000_000;

    // An hour at the default 100 ms: a longer run keeps the timeline of its first hour (a limit on everything).
    private const int MaxTimelineSamples = 36_000;

    // Traced requests per run, all streams together (48 bytes each): over an hour at 2,500 tx/s would need more, and the
    // tail of the first ones explains it as well.
    private const int MaxTracedRequests = 2_000_000;

    /// <summary>Runs the workload's setup, then its streams for the plan's warm-up and duration.</summary>
    /// <exception cref="LoadException">The setup was not accepted.</exception>
    public static async Task<LoadResult> RunAsync(IReadOnlyList<ChainClient> clients, IStreamWorkload workload, LoadPlan plan,
        Action<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(plan.TimelineInterval, TimeSpan.Zero);
        await SetupAsync(clients[0], workload, cancellationToken);

        // Each client then learns the instance its streams' first requests name; replies keep it current after that.
        await Task.WhenAll(clients.Select(c => c.CurrentInstanceAsync(cancellationToken)));

        var total = new LongConcurrentHistogram(1, MaxLatencyMicros, 3);
        var interval = new LongConcurrentHistogram(1, MaxLatencyMicros, 3);
        var state = new RunState { Origin = Stopwatch.GetTimestamp() };
        var traces = new List<RequestTrace>[workload.Streams];
        for (int i = 0; i < traces.Length; i++)
        {
            traces[i] = [];
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        Pacer? pacer = plan.Rate is { } rate ? new Pacer(rate, Stopwatch.GetTimestamp()) : null;
        Task[] streams = [.. Enumerable.Range(0, workload.Streams).Select(s => Task.Run(() =>
            StreamAsync(s, clients[s % clients.Count], workload, state, pacer, () => Volatile.Read(ref interval), total, traces[s], stop.Token), CancellationToken.None))];

        var timeline = new List<TimelineSample> { new(TimeSpan.Zero, 0) };
        Task sampler = SampleAsync(timeline, plan.TimelineInterval, clock, state, stop.Token);

        long measureFrom = 0;
        TimeSpan measured = TimeSpan.Zero;
        TimelineSample end = default;
        try
        {
            await PaceAsync(plan.Warmup, plan.ProgressInterval, clock, () => Report(progress, clock, true, state, ref interval), cancellationToken);
            total.Reset();
            Interlocked.Exchange(ref state.Measuring, 1);
            measureFrom = Stopwatch.GetTimestamp();
            plan.MeasurementStarted?.Invoke();
            await PaceAsync(plan.Duration, plan.ProgressInterval, clock, () => Report(progress, clock, false, state, ref interval), cancellationToken);

            // The window ends where counting ends, so transactions, time and what MeasurementEnded samples cover the same span.
            Interlocked.Exchange(ref state.Measuring, 0);
            measured = Stopwatch.GetElapsedTime(measureFrom);
            end = new TimelineSample(clock.Elapsed, Interlocked.Read(ref state.Accepted));
            plan.MeasurementEnded?.Invoke();
        }
        finally
        {
            Interlocked.Exchange(ref state.Measuring, 0);
            await stop.CancelAsync();
            await Task.WhenAll(streams);
            await sampler;
        }

        if (end.Elapsed > timeline[^1].Elapsed && timeline.Count < MaxTimelineSamples)
        {
            timeline.Add(end);
        }

        return new LoadResult(workload.Streams, Interlocked.Read(ref state.Counted), measured, Ms(total, 50), Ms(total, 99), Ms(total, 99.9),
            total.TotalCount == 0 ? 0 : total.GetMaxValue() / 1000.0, Interlocked.Read(ref state.Errors))
        {
            Timeline = timeline,
            Requests = [.. traces.SelectMany(t => t).OrderBy(t => t.Slot)],
        };
    }

    /// <summary>Appends (elapsed, accepted so far) to <paramref name="timeline"/> every <paramref name="every"/> until stopped.</summary>
    private static async Task SampleAsync(List<TimelineSample> timeline, TimeSpan every, Stopwatch clock, RunState state, CancellationToken stop)
    {
        try
        {
            using var timer = new PeriodicTimer(every);
            while (timeline.Count < MaxTimelineSamples - 1 && await timer.WaitForNextTickAsync(stop))
            {
                timeline.Add(new TimelineSample(clock.Elapsed, Interlocked.Read(ref state.Accepted)));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task SetupAsync(ChainClient client, IStreamWorkload workload, CancellationToken cancellationToken)
    {
        // One key's requests go out in sequence order over one client, so none overtakes another.
        IReadOnlyList<SignedRequest> setup = workload.Setup(await client.CurrentInstanceAsync(cancellationToken));
        ReplyMessage[] replies = await Task.WhenAll(setup.Select(r => client.SubmitAsync(r, cancellationToken)));
        foreach (ReplyMessage reply in replies)
        {
            if (reply.Status is not (ReplyStatus.Executed or ReplyStatus.Duplicate) || Coin.CoinResult.Decode(reply.Result.Span).Code != Coin.CoinResultCode.Ok)
            {
                throw new LoadException($"the workload's setup was refused: {reply.Status} {System.Text.Encoding.UTF8.GetString(reply.Result.Span)}");
            }
        }
    }

    private static async Task StreamAsync(int stream, ChainClient client, IStreamWorkload workload, RunState state, Pacer? pacer,
        Func<LongConcurrentHistogram> interval, LongConcurrentHistogram total, List<RequestTrace> traces, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Open loop: the latency runs from the request's slot, so time spent waiting for a free stream counts.
                long slot = 0;
                if (pacer is not null)
                {
                    slot = pacer.Next();
                    await Pacer.WaitForAsync(slot, stop);
                }

                SignedRequest request = workload.NextRequest(stream, client.KnownInstance);
                long sent = Stopwatch.GetTimestamp();
                long started = pacer is null ? sent : slot;
                ReplyMessage reply = await client.SubmitAsync(request, stop);
                long done = Stopwatch.GetTimestamp();
                long micros = Math.Clamp((long)Stopwatch.GetElapsedTime(started, done).TotalMicroseconds, 1, MaxLatencyMicros);
                if (!workload.Accepted(stream, reply))
                {
                    Interlocked.Increment(ref state.Errors);
                    return;
                }

                interval().RecordValue(micros);
                Interlocked.Increment(ref state.IntervalCount);
                Interlocked.Increment(ref state.Accepted);
                if (Volatile.Read(ref state.Measuring) == 1)
                {
                    total.RecordValue(micros);
                    if (Interlocked.Increment(ref state.Counted) <= MaxTracedRequests)
                    {
                        traces.Add(new RequestTrace(stream, state.Micros(started), state.Micros(sent), state.Micros(done), reply.Block, reply.Instance));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (ChainClientException)
        {
            Interlocked.Increment(ref state.Errors);
        }
    }

    private static async Task PaceAsync(TimeSpan length, TimeSpan every, Stopwatch clock, Action tick, CancellationToken cancellationToken)
    {
        TimeSpan end = clock.Elapsed + length;
        while (clock.Elapsed < end)
        {
            TimeSpan wait = TimeSpan.FromTicks(Math.Min(every.Ticks, (end - clock.Elapsed).Ticks));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            tick();
        }
    }

    private static void Report(Action<LoadProgress>? progress, Stopwatch clock, bool warmingUp, RunState state, ref LongConcurrentHistogram interval)
    {
        LongConcurrentHistogram last = Interlocked.Exchange(ref interval, new LongConcurrentHistogram(1, MaxLatencyMicros, 3));
        long count = Interlocked.Exchange(ref state.IntervalCount, 0);
        double seconds = (clock.Elapsed - state.LastReport).TotalSeconds;
        state.LastReport = clock.Elapsed;
        progress?.Invoke(new LoadProgress(clock.Elapsed, warmingUp, Interlocked.Read(ref state.Counted), seconds > 0 ? count / seconds : 0,
            Ms(last, 50), Ms(last, 99), Interlocked.Read(ref state.Errors)));
    }

    private static double Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;

    private sealed class RunState
    {
        public long Counted;
        public long Accepted;
        public long IntervalCount;
        public long Errors;
        public int Measuring;
        public TimeSpan LastReport;
        public long Origin;

        public long Micros(long timestamp) => (long)Stopwatch.GetElapsedTime(Origin, timestamp).TotalMicroseconds;
    }
}
