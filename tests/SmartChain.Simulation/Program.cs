namespace SmartChain.Simulation;

/// <summary>
/// Runs a swarm of seeds: <c>dotnet run --project tests/SmartChain.Simulation -- --seeds 500 [--start 1]</c>, or
/// one seed with its full outcome: <c>-- --seed 42</c>. <c>--faults byzantine|mutate|twins|crash-all</c> puts that fault
/// class into every seed. Prints how many seeds per 1,000 had each fault class. Exits 1 if any seed fails, printing the
/// command that reruns it.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        ulong start = 1;
        ulong count = 100;
        string faults = "mixed";
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seeds":
                    count = ulong.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--start":
                    start = ulong.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--faults":
                    faults = args[i + 1];
                    if (faults is not ("mixed" or "byzantine" or "crash-all" or "mutate" or "twins"))
                    {
                        Console.Error.WriteLine($"--faults {faults}: use mixed (the seed decides), byzantine (a Byzantine replica in every seed), mutate (a mutating Byzantine replica in every seed), twins (a replica run twice in every seed) or crash-all (every seed crashes the whole cluster once)");
                        return 2;
                    }

                    break;
                case "--seed":
                    start = ulong.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
                    count = 1;
                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; use --seeds N [--start S] [--faults mixed|byzantine|mutate|twins|crash-all] or --seed S");
                    return 2;
            }
        }

        int failed = 0;
        long instances = 0;
        var classes = new FaultClassCounts();
        long worstWait = 0;
        long worstBound = 1;
        int maxK = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (ulong seed = start; seed < start + count; seed++)
        {
            SimulationConfig config = SimulationConfig.FromSeed(seed);
            config = faults switch
            {
                "byzantine" => config.WithByzantine(),
                "crash-all" => config.WithCrashAll(),
                "mutate" => config.WithMutate(),
                "twins" => config.WithTwins(),
                _ => config,
            };
            SimulationResult result = Simulation.Run(config) with { Faults = faults };
            instances += result.Instances;
            classes.Add(config);
            if (result.WaitTicks * worstBound > worstWait * result.BoundTicks)
            {
                (worstWait, worstBound) = (result.WaitTicks, result.BoundTicks);
            }

            maxK = Math.Max(maxK, result.MaxK);
            if (!result.Passed || count == 1)
            {
                Console.WriteLine(result);
            }

            failed += result.Passed ? 0 : 1;
        }

        Console.WriteLine($"{count} seeds from {start} (--faults {faults}): {count - (ulong)failed} passed, {failed} failed; {instances} instances decided; {clock.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"fault classes per 1,000 seeds: {classes.PerThousand(count)}");
        Console.WriteLine($"liveness after the faults ended: worst wait {worstWait} of a {worstBound}-tick bound ({100.0 * worstWait / worstBound:0.0}%), largest k {maxK}");
        return failed == 0 ? 0 : 1;
    }
}
