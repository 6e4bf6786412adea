using System.Globalization;
using System.Runtime.InteropServices;

namespace SmartChain.Testbed;

/// <summary>What /proc says about a process, and the few libc calls the testbed makes.</summary>
internal static partial class ProcFs
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;
    public const int SigHup = 1;

    /// <summary>The process's start time (clock ticks since boot, field 22 of /proc/PID/stat), or null if it is gone.</summary>
    public static long? StartTime(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(rest[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>True if <paramref name="process"/> still runs (same pid and start time, not a zombie).</summary>
    public static bool IsRunning(TestbedProcess process) => StartTime(process.Pid) == process.StartTime && !IsZombie(process.Pid);

    /// <summary>True if the process has exited and waits to be reaped (or is gone).</summary>
    public static bool IsZombie(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false if it is gone.</summary>
    public static bool Signal(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>True if this process runs as root (namespaces need it).</summary>
    public static bool IsRoot => GetEffectiveUserId() == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
