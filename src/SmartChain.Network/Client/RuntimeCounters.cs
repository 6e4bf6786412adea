namespace SmartChain.Network.Client;

/// <summary>
/// The garbage collector's running totals of the process a replica runs in, as a query's answer carries them: bytes
/// allocated since the process started, collections of each generation, and the total time the GC paused the process.
/// A benchmark reads them at both edges of its measured window and divides the differences by the transactions in it
/// (bytes allocated per transaction, GC pause per second). In a process that hosts several replicas (tests, the
/// simulator) they are that process's, shared by all of them.
/// </summary>
public readonly record struct RuntimeCounters(long AllocatedBytes, long Gen0Collections, long Gen1Collections, long Gen2Collections, long GcPauseTicks)
{
    /// <summary>The total GC pause as a duration.</summary>
    public TimeSpan GcPause => TimeSpan.FromTicks(GcPauseTicks);

    /// <summary>
    /// This process's counters now. <see cref="GC.GetTotalAllocatedBytes(bool)"/> is asked without <c>precise</c>: the
    /// threads' current allocation contexts (a few KiB each) are left out, which is nothing over a window of seconds
    /// and keeps the call from suspending the runtime.
    /// </summary>
    public static RuntimeCounters Sample() => new(GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1),
        GC.CollectionCount(2), GC.GetTotalPauseDuration().Ticks);

    /// <summary>
    /// True if no counter is below <paramref name="start"/>'s, so this sample can be a later one of the same process. A
    /// replica restarted between the two (its totals begin again) or one reporting nonsense fails it: a window taken
    /// across them would be negative.
    /// </summary>
    public bool CanFollow(RuntimeCounters start) => AllocatedBytes >= start.AllocatedBytes && Gen0Collections >= start.Gen0Collections &&
        Gen1Collections >= start.Gen1Collections && Gen2Collections >= start.Gen2Collections && GcPauseTicks >= start.GcPauseTicks;

    /// <summary>What happened between <paramref name="start"/> and this later sample.</summary>
    public RuntimeCounters Since(RuntimeCounters start) => new(AllocatedBytes - start.AllocatedBytes, Gen0Collections - start.Gen0Collections,
        Gen1Collections - start.Gen1Collections, Gen2Collections - start.Gen2Collections, GcPauseTicks - start.GcPauseTicks);

    /// <summary>One line for status lines: MB allocated, collections per generation, total pause.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"allocated {AllocatedBytes / 1e6:0.0} MB gc {Gen0Collections}/{Gen1Collections}/{Gen2Collections} gc-pause {GcPause.TotalMilliseconds:0} ms");
}
