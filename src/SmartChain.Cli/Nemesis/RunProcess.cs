using System.Globalization;
using SmartChain.Testbed;

namespace SmartChain.Cli.Nemesis;

/// <summary>Whether a process the testbed started still runs (Linux /proc).</summary>
internal static class RunProcess
{
    /// <summary>
    /// True while <paramref name="process"/> runs: its pid exists, is not a zombie, and has the start time recorded when
    /// the testbed started it (a later process reusing the pid is not it).
    /// </summary>
    public static bool IsRunning(TestbedProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            string stat = File.ReadAllText($"/proc/{process.Pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // fields from 3 on: the name may hold spaces
            return fields[0] != "Z" && long.Parse(fields[19], CultureInfo.InvariantCulture) == process.StartTime;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return false;
        }
    }
}
