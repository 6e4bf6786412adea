using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace SmartChain.AllocationTable;

/// <summary>
/// Reads EventPipe traces taken with <c>dotnet-trace collect --profile gc-verbose</c> (the runtime's AllocationTick
/// events: one per ~100 KB a thread allocates, naming the type that crossed the line, with the managed stack) and prints
/// Markdown tables of where a process's allocations come from: by type, by allocating method (the innermost frame
/// outside the runtime's own allocation helpers) and by the innermost frame of ours (<c>SmartChain.*</c>). Given the
/// benchmark's measured bytes per transaction (<c>--bytes-per-tx</c>), each share is also turned into bytes per
/// transaction, as bench/profile-table.py does with CPU.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var files = new List<string>();
        double? bytesPerTx = null;
        int top = 25;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--bytes-per-tx":
                    bytesPerTx = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--top":
                    top = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                default:
                    files.Add(args[i]);
                    break;
            }
        }

        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: SmartChain.AllocationTable TRACE.nettrace... [--bytes-per-tx B] [--top N]");
            return 2;
        }

        var tally = new AllocationTally();
        foreach (string file in files)
        {
            string etlx = TraceLog.CreateFromEventPipeDataFile(file);
            using var log = new TraceLog(etlx);
            TraceLogEventSource source = log.Events.GetSource();
            source.Clr.GCAllocationTick += e => tally.Add(e.TypeName, e.AllocationAmount64, e.CallStack());
            source.Process();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{tally.Samples:#,0} allocation samples, {tally.Total / 1e6:#,0.0} MB sampled in {files.Count} trace(s)"));
        tally.Print("allocated type", tally.ByType, top, bytesPerTx);
        tally.Print("allocating method (innermost frame outside the runtime's allocation helpers)", tally.ByMethod, top, bytesPerTx);
        tally.Print("innermost SmartChain frame", tally.ByOurFrame, top, bytesPerTx);
        tally.Print("innermost three SmartChain frames (innermost first)", tally.ByOurPath, top, bytesPerTx);
        return 0;
    }
}
