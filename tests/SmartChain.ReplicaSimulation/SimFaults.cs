using System.Globalization;
using SmartChain.Core;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The faults of one run, all drawn from its seed: message loss and delay (and reordering) while faults last,
/// partitions that cut one replica off (with its clients' links) for a window, and crash-restarts of replicas, at
/// most f down at once. Faults stop at <see cref="QuietAt"/>; after it the network is reliable and prompt, so a new
/// request must be acknowledged within the liveness bound.
/// </summary>
internal sealed record SimFaults
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    /// <summary>Replicas in the run (n) and how many may be faulty (f).</summary>
    public int N { get; init; } = 4;

    /// <summary>Virtual time (ticks) at which faults stop.</summary>
    public long QuietAt { get; init; }

    /// <summary>Chance a frame is lost while faults last.</summary>
    public double Loss { get; init; }

    /// <summary>Delay of a frame: base plus a uniform jitter, in ticks; larger while faults last.</summary>
    public long BaseDelay { get; init; } = 1 * Ms;

    public long Jitter { get; init; } = 2 * Ms;

    /// <summary>Frames of one link may overtake each other (while faults last).</summary>
    public bool Reorder { get; private set; }

    private bool _reorderWhileFaulty;

    /// <summary>One replica cut off from every other endpoint between the two times (ticks), if any.</summary>
    public (int Replica, long From, long Until)? Partition { get; init; }

    /// <summary>Crash-restarts: which replica, when it stops, how long it stays down (ticks).</summary>
    public IReadOnlyList<(int Replica, long At, long Down)> Crashes { get; init; } = [];

    /// <summary>How each crash-restart happens to the replica's disk (clean stop, abrupt crash, power cut, failed fsync, corrupted read).</summary>
    public SimDiskFaults Disk { get; init; } = new();

    /// <summary>The checkpoint period and catch-up threshold of the run, and corrupted reads while replicas run.</summary>
    public SimSnapshotFaults Snapshots { get; init; } = new();

    /// <summary>Draws a run's faults from <paramref name="seed"/>.</summary>
    public static SimFaults Draw(ulong seed, long quietAt)
    {
        var random = new SplitMix64(seed * 0x9E3779B97F4A7C15UL + 17);
        var crashes = new List<(int, long, long)>();
        int count = (int)random.NextBelow(3); // 0, 1 or 2 crash-restarts
        long next = 300 * Ms;
        for (int i = 0; i < count && next < quietAt; i++)
        {
            long at = next + (long)random.NextBelow((ulong)(quietAt / 2));
            long down = (200 + (long)random.NextBelow(1500)) * Ms;
            crashes.Add(((int)random.NextBelow(4), Math.Min(at, quietAt - Ms), down));
            next = at + down + (100 * Ms); // one replica down at a time (f = 1)
        }

        (int, long, long)? partition = null;
        if (random.Chance(0.4))
        {
            long from = (long)random.NextBelow((ulong)(quietAt / 2));
            partition = ((int)random.NextBelow(4), from, from + ((300 + (long)random.NextBelow(2000)) * Ms));
        }

        bool slow = random.Chance(0.3);
        return new SimFaults
        {
            QuietAt = quietAt,
            Loss = random.Chance(0.5) ? 0.01 + (random.NextBelow(90) / 1000.0) : 0,
            BaseDelay = (1 + (long)random.NextBelow(5)) * Ms,
            Jitter = (slow ? 50 + (long)random.NextBelow(150) : 1 + (long)random.NextBelow(20)) * Ms,
            _reorderWhileFaulty = random.Chance(0.3),
            Reorder = false,
            Partition = partition,
            Crashes = crashes,
            Disk = SimDiskFaults.Draw(seed, crashes.Count),
            Snapshots = SimSnapshotFaults.Draw(seed, quietAt, crashes),
        };
    }

    /// <summary>True if a frame from <paramref name="from"/> to <paramref name="to"/> sent now is lost.</summary>
    public bool Blocks(int from, int to, SimScheduler scheduler)
    {
        long now = scheduler.Time.Now;
        Reorder = _reorderWhileFaulty && now < QuietAt;
        if (now >= QuietAt)
        {
            return false;
        }

        if (Partition is { } p && now >= p.From && now < p.Until && (from == p.Replica || to == p.Replica || Owner(from) == p.Replica || Owner(to) == p.Replica))
        {
            return true;
        }

        return Loss > 0 && (scheduler.Next() >> 11) * (1.0 / (1UL << 53)) < Loss;
    }

    /// <summary>A frame's delay, in ticks.</summary>
    public long Delay(SimScheduler scheduler) => scheduler.Time.Now >= QuietAt
        ? Ms + (long)(scheduler.Next() % (ulong)Ms)
        : BaseDelay + (long)(scheduler.Next() % (ulong)Math.Max(1, Jitter));

    /// <summary>The fault classes this run exercises, for the per-1,000-seeds counts.</summary>
    public IEnumerable<string> Classes()
    {
        if (Crashes.Count > 0)
        {
            yield return "crash-restart";
        }

        if (Partition is not null)
        {
            yield return "partition";
        }

        if (Loss > 0)
        {
            yield return "loss";
        }

        if (Jitter >= 50 * Ms)
        {
            yield return "slow";
        }

        if (_reorderWhileFaulty)
        {
            yield return "reorder";
        }

        foreach (string kind in Disk.Classes(Crashes.Count).Concat(Snapshots.Classes()))
        {
            yield return kind;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"loss {Loss:0.000} delay {BaseDelay / Ms}+{Jitter / Ms} ms reorder {_reorderWhileFaulty} partition {(Partition is { } p ? $"r{p.Replica} {p.From / Ms}-{p.Until / Ms} ms" : "none")} crashes [{string.Join(", ", Crashes.Select(c => $"r{c.Replica} at {c.At / Ms} ms for {c.Down / Ms} ms"))}] quiet at {QuietAt / Ms} ms; {Disk}; {Snapshots}");

    // Client endpoints are numbered 100 + 10·client + replica, so a partition of a replica cuts its client links too.
    private static int Owner(int endpoint) => endpoint >= 100 ? endpoint % 10 : endpoint;
}
