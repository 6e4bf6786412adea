using System.Globalization;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Runs many seeds of the whole-replica simulation: <c>dotnet run -c Release --project tests/SmartChain.ReplicaSimulation --
/// --seeds 1000 [--start 1]</c>, or one seed with its outcome and trace hash: <c>-- --seed 42</c>. Prints seeds per
/// second and how many seeds per 1,000 had each fault class; for a failing seed, the seed and the command that replays
/// it (<c>--traces</c>: every seed's outcome line with its trace hash). Exits 1 if any seed failed.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        ulong start = 1;
        ulong count = 20;
        bool traces = false;
        bool withoutReconfiguration = false;
        for (int i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--traces")
            {
                traces = true; // one line per seed (outcome and trace hash), to compare two builds seed by seed
                i--;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"option {args[i]} needs a value");
                return 2;
            }

            switch (args[i])
            {
                case "--seeds":
                    count = ulong.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--start":
                    start = ulong.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--reconfiguration": // "none": the seeds without their drawn joins, leaves and exclusions
                    withoutReconfiguration = args[i + 1] == "none";
                    break;
                case "--seed":
                    start = ulong.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    count = 1;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; use --seeds N [--start S] [--traces] or --seed S, and --reconfiguration none to leave out the drawn reconfigurations");
                    return 2;
            }
        }

        var classes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int failed = 0;
        long acknowledged = 0;
        long restarts = 0;
        long escapes = 0;
        long worstLiveness = 0;
        var disks = new SimDiskReport();
        var snapshots = new SimSnapshotReport();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (ulong seed = start; seed < start + count; seed++)
        {
            SimOutcome outcome = withoutReconfiguration
                ? ReplicaSimulation.Run(seed, reconfigure: _ => new SimReconfiguration())
                : ReplicaSimulation.Run(seed);
            foreach (string kind in outcome.Faults.Classes().Concat(outcome.Reconfigured))
            {
                classes[kind] = classes.GetValueOrDefault(kind) + 1;
            }

            acknowledged += outcome.Acknowledged;
            disks.Add(outcome.Disk);
            snapshots.Add(outcome.Snapshots);
            restarts += outcome.Restarts;
            escapes += outcome.Escapes;
            worstLiveness = Math.Max(worstLiveness, outcome.LivenessMs);
            if (outcome.Escapes > 0 && outcome.Passed && count > 1)
            {
                Console.WriteLine($"seed {seed}: {outcome.Escapes} escaped posts (the run may not replay); first from {outcome.FirstEscape?.Split('\n').Skip(3).FirstOrDefault()?.Trim()}");
            }

            if (!outcome.Passed || count == 1 || traces)
            {
                Console.WriteLine(outcome);
                if (count == 1 && outcome.FirstEscape is { } escape)
                {
                    Console.WriteLine("first escaped post: " + escape);
                }
            }

            failed += outcome.Passed ? 0 : 1;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} seeds from {start}: {count - (ulong)failed} passed, {failed} failed; {seconds:0.0} s ({count / seconds:0.00} seeds/s); " +
            $"{acknowledged} requests acknowledged, {restarts} crash-restarts, worst liveness {worstLiveness} virtual ms after the faults, {escapes} escaped posts"));
        Console.WriteLine("fault classes per 1,000 seeds: " + string.Join(", ",
            classes.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {1000.0 * c.Value / count:0}"))));
        Console.WriteLine(disks.PerThousand((long)count));
        Console.WriteLine(snapshots.PerThousand((long)count));
        return failed == 0 ? 0 : 1;
    }
}
