using System.Globalization;
using SmartChain.Core;
using SmartChain.Core.Genesis;
using SmartChain.Node.Transfer;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Snapshot state transfer and corrupted reads while replicas run, drawn from the seed with a generator of its own (so
/// what a seed drew before stays as it was). In about half the seeds the chain checkpoints every 4–24 blocks (the
/// genesis's period, 1,000 otherwise) and a replica this many blocks behind the tip transfers rather than FETCHes (the
/// transfer option's catch-up threshold, 0–8 instead of 32), so a replica that was down or wiped is behind the others'
/// last checkpoint and fetches a snapshot. In half of those seeds one replica the run never crashes has, for a window
/// while faults last, the next read of a block segment or of a snapshot file return one flipped bit: it must report it
/// (a log line naming the file or the block), never send or use it, and go on serving.
/// </summary>
internal sealed record SimSnapshotFaults
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    /// <summary>Blocks between checkpoints (the genesis's period).</summary>
    public long CheckpointPeriod { get; init; } = GenesisDocument.DefaultCheckpointPeriod;

    /// <summary>How far behind the certified tip a replica may be and still catch up by FETCH instead of state transfer.</summary>
    public long CatchUpThreshold { get; init; } = TransferOptions.Default.CatchUpThreshold;

    /// <summary>Corrupted reads while running: which replica, from when (ticks), for how long, and of which files.</summary>
    public IReadOnlyList<(int Replica, long At, long Window, SimCorruptTarget Target)> Corruptions { get; init; } = [];

    /// <summary>True when the period is small enough for a run to pass checkpoints.</summary>
    public bool Small => CheckpointPeriod < GenesisDocument.DefaultCheckpointPeriod;

    /// <summary>Draws from <paramref name="seed"/>; the corrupted replica is one that <paramref name="crashes"/> never names.</summary>
    public static SimSnapshotFaults Draw(ulong seed, long quietAt, IReadOnlyList<(int Replica, long At, long Down)> crashes)
    {
        var random = new SplitMix64((seed * 0xA24BAED4963EE407UL) + 61);
        if (!random.Chance(0.5))
        {
            return new SimSnapshotFaults();
        }

        long period = 4 + (long)random.NextBelow(21);
        long threshold = (long)random.NextBelow(9);
        var corruptions = new List<(int, long, long, SimCorruptTarget)>();
        int[] steady = [.. Enumerable.Range(0, 4).Where(i => crashes.All(c => c.Replica != i))];
        if (random.Chance(0.5) && steady.Length > 0)
        {
            int replica = steady[random.NextBelow((ulong)steady.Length)];
            var target = random.Chance(0.5) ? SimCorruptTarget.Block : SimCorruptTarget.Snapshot;
            long at = (200 + (long)random.NextBelow((ulong)(quietAt / Ms / 2))) * Ms;
            long window = (500 + (long)random.NextBelow(1500)) * Ms;
            if (target == SimCorruptTarget.Snapshot && crashes.Count > 0)
            {
                // A running replica reads its snapshot files only to serve a peer's download: armed when a crashed one restarts.
                (_, long crashAt, long down) = crashes[(int)random.NextBelow((ulong)crashes.Count)];
                at = crashAt + down;
                window = 2_000 * Ms;
            }

            corruptions.Add((replica, at, window, target));
        }

        return new SimSnapshotFaults { CheckpointPeriod = period, CatchUpThreshold = threshold, Corruptions = corruptions };
    }

    /// <summary>The classes this run exercises, for the per-1,000-seeds counts.</summary>
    public IEnumerable<string> Classes()
    {
        if (Small)
        {
            yield return "small checkpoint period";
        }

        foreach ((_, _, _, SimCorruptTarget target) in Corruptions)
        {
            yield return target == SimCorruptTarget.Block ? "corrupted block read armed while running" : "corrupted snapshot read armed while running";
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"checkpoint period {CheckpointPeriod}, catch-up threshold {CatchUpThreshold}, corrupted reads while running [{string.Join(", ", Corruptions.Select(c => $"r{c.Replica} {c.Target} at {c.At / Ms} ms for {c.Window / Ms} ms"))}]");
}
