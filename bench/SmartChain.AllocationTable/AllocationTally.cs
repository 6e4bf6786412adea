using System.Globalization;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace SmartChain.AllocationTable;

/// <summary>Sampled allocation bytes summed by type, by allocating method and by our innermost frame.</summary>
internal sealed class AllocationTally
{
    public Dictionary<string, long> ByType { get; } = [];

    public Dictionary<string, long> ByMethod { get; } = [];

    public Dictionary<string, long> ByOurFrame { get; } = [];

    /// <summary>By the innermost three frames of ours, innermost first: who called the method that allocated.</summary>
    public Dictionary<string, long> ByOurPath { get; } = [];

    public long Total { get; private set; }

    public int Samples { get; private set; }

    public void Add(string type, long bytes, TraceCallStack? stack)
    {
        Samples++;
        Total += bytes;
        Bump(ByType, string.IsNullOrEmpty(type) ? "(unknown type)" : type, bytes);
        string? method = null;
        string? ours = null;
        var path = new List<string>(3);
        for (TraceCallStack? frame = stack; frame is not null && (method is null || path.Count < 3); frame = frame.Caller)
        {
            string name = frame.CodeAddress.FullMethodName;
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            if (method is null && !IsAllocationHelper(name))
            {
                method = name;
            }

            if (name.StartsWith("SmartChain.", StringComparison.Ordinal) && path.Count < 3)
            {
                ours ??= name;
                path.Add(ShortName(name));
            }
        }

        Bump(ByOurPath, path.Count == 0 ? "(no SmartChain frame)" : string.Join(" ← ", path), bytes);

        Bump(ByMethod, method ?? "(no managed frame)", bytes);
        Bump(ByOurFrame, ours ?? "(no SmartChain frame: runtime, sockets, timers)", bytes);
    }

    public void Print(string title, Dictionary<string, long> rows, int top, double? bytesPerTx)
    {
        Console.WriteLine();
        Console.WriteLine(bytesPerTx is null ? $"| {title} | share | MB sampled |" : $"| {title} | share | MB sampled | bytes per transaction |");
        Console.WriteLine(bytesPerTx is null ? "|---|---:|---:|" : "|---|---:|---:|---:|");
        long shown = 0;
        foreach ((string name, long bytes) in rows.OrderByDescending(r => r.Value).Take(top))
        {
            shown += bytes;
            Console.WriteLine(Row(name.Replace("|", "\\|", StringComparison.Ordinal), bytes, bytesPerTx));
        }

        if (Total - shown > 0)
        {
            Console.WriteLine(Row($"({rows.Count - Math.Min(top, rows.Count)} others)", Total - shown, bytesPerTx));
        }
    }

    private string Row(string name, long bytes, double? bytesPerTx)
    {
        double share = Total == 0 ? 0 : (double)bytes / Total;
        string row = string.Create(CultureInfo.InvariantCulture, $"| `{name}` | {100 * share:0.0}% | {bytes / 1e6:0.0} |");
        return bytesPerTx is { } b ? row + string.Create(CultureInfo.InvariantCulture, $" {share * b:#,0} |") : row;
    }

    // "SmartChain.Ledger.BlockCertificate.WriteTo(value class ...)" → "BlockCertificate.WriteTo"
    private static string ShortName(string name)
    {
        int open = name.IndexOf('(', StringComparison.Ordinal);
        string head = open < 0 ? name : name[..open];
        int dot = head.LastIndexOf('.');
        int previous = dot <= 0 ? -1 : head.LastIndexOf('.', dot - 1);
        return head[(previous + 1)..];
    }

    // Frames that allocate on behalf of their caller: the caller is the one to name.
    private static bool IsAllocationHelper(string name) =>
        name.StartsWith("System.GC.Allocate", StringComparison.Ordinal)
        || name.StartsWith("System.GC.<AllocateUninitializedArray", StringComparison.Ordinal)
        || name.StartsWith("System.Buffers.SharedArrayPool", StringComparison.Ordinal)
        || name.StartsWith("System.Buffers.ConfigurableArrayPool", StringComparison.Ordinal)
        || name.StartsWith("System.String.FastAllocateString", StringComparison.Ordinal)
        || name.StartsWith("System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject", StringComparison.Ordinal);

    private static void Bump(Dictionary<string, long> into, string key, long bytes) =>
        into[key] = into.GetValueOrDefault(key) + bytes;
}
