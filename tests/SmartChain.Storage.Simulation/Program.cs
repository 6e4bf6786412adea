using System.Diagnostics;
using System.Globalization;

namespace SmartChain.Storage.Simulation;

/// <summary>
/// Runs many seeds from the command line:
/// <c>dotnet run -c Release --project tests/SmartChain.Storage.Simulation -- --seeds 10000 [--start 1]</c>, or one seed
/// with its trace: <c>-- --seed 1234 --trace</c>; <c>--first</c> stops at the first failing seed. Prints the fault counts per 1,000 seeds and every failing seed with
/// the command that replays it; exits 1 if any seed failed.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int seeds = 1000;
        int start = 1;
        bool trace = false;
        bool stopAtFirst = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seeds":
                    seeds = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--start":
                    start = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--seed":
                    start = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    seeds = 1;
                    break;
                case "--trace":
                    trace = true;
                    break;
                case "--first":
                    stopAtFirst = true;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; use --seeds N [--start S] [--first] or --seed S [--trace]");
                    return 2;
            }
        }

        _ = StorageChain.Instance; // built once, outside the timing
        var clock = Stopwatch.StartNew();
        var totals = new FaultCounts();
        int failed = 0;
        for (int seed = start; seed < start + seeds; seed++)
        {
            StorageRunResult result = StorageRun.Run(seed);
            totals.Add(result.Counts);
            if (trace)
            {
                result.Trace.ToList().ForEach(Console.WriteLine);
            }

            if (result.Failure is not null)
            {
                failed++;
                Console.WriteLine($"seed {seed} FAILED: {result.Failure}");
                Console.WriteLine($"  replay: {result.ReplayCommand}");
                if (stopAtFirst)
                {
                    seeds = seed - start + 1;
                    break;
                }
            }
        }

        Console.WriteLine($"{seeds} seeds ({start}..{start + seeds - 1}) in {clock.Elapsed.TotalSeconds:F1} s: {failed} failed");
        Console.WriteLine(totals.PerThousand(seeds));
        return failed == 0 ? 0 : 1;
    }
}
