using System.Globalization;

namespace SmartChain.IntegrationTests;

/// <summary>Resident memory of a replica process, as the kernel counts it (for the memory budgets in docs/network.md).</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS from /proc/PID/status, in bytes.</summary>
    public static long ResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }

    /// <summary>Samples the resident memory of <paramref name="pids"/> every 250 ms until <paramref name="until"/> completes; returns each one's peak.</summary>
    public static async Task<long[]> PeakWhileAsync(int[] pids, Task until)
    {
        long[] peak = [.. pids.Select(ResidentBytes)];
        while (!until.IsCompleted)
        {
            await Task.WhenAny(until, Task.Delay(250)); // a sampling period, not a synchronisation
            for (int i = 0; i < pids.Length; i++)
            {
                peak[i] = Math.Max(peak[i], ResidentBytes(pids[i]));
            }
        }

        return peak;
    }
}
