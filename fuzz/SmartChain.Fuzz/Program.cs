using SmartChain.Fuzz;

// smartchain-fuzz list | corpus DIR | run TARGET (under afl-fuzz) | replay TARGET FILE|DIR...
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: SmartChain.Fuzz list | corpus DIR | run TARGET | replay TARGET FILE|DIR...");
    return 2;
}

switch (args[0])
{
    case "list":
        foreach (FuzzTarget t in Targets.All)
        {
            Console.WriteLine($"{t.Name,-16} {t.Description}");
        }

        return 0;
    case "corpus" when args.Length == 2:
        Corpus.Generate(args[1]);
        Console.WriteLine($"wrote seeds for {Targets.All.Count} targets under {args[1]}");
        return 0;
    case "run" when args.Length == 2 && Targets.Find(args[1]) is { } target:
        // AFL++ forks nothing here: SharpFuzz runs the input loop in this process and reports coverage through shared memory.
        SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            target.Execute(copy.ToArray());
        });
        return 0;
    case "replay" when args.Length >= 3 && Targets.Find(args[1]) is { } target:
        int crashes = 0;
        foreach (string file in args[2..].SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]))
        {
            try
            {
                target.Execute(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // a replay reports every crash, whatever its type
            catch (Exception e)
#pragma warning restore CA1031
            {
                crashes++;
                Console.WriteLine($"CRASH {file}: {e.GetType().Name}: {e.Message}");
                Console.WriteLine(e.StackTrace);
            }
        }

        Console.WriteLine($"{target.Name}: {crashes} crashes");
        return crashes == 0 ? 0 : 1;
    default:
        Console.Error.WriteLine($"unknown command or target: {string.Join(' ', args)} (see 'list')");
        return 2;
}
