using System.Collections;
using System.Runtime.InteropServices;
using System.Text;

namespace SmartChain.Cli;

/// <summary>
/// Makes <c>smartchain demo</c> run its own code optimized from the first call, as its replicas do
/// (<see cref="Testnet.LocalNetwork.ReplicaEnvironment"/>): the demo process signs, encodes and sends every request and
/// checks every reply, and with quick JIT that code runs unoptimized until tiered compilation has recompiled it, which
/// on 2 busy cores took seconds of the load (docs/performance.md, "Warm start"). Quick JIT can only be turned off before
/// the runtime starts, and doing it in the runtimeconfig would make every other command start slower, so <c>demo</c>
/// alone replaces its process image (execve: same process id, same standard streams, same parent, so Ctrl-C, exit code
/// and <c>dotnet run</c> behave as before) with the same command line and <c>DOTNET_TC_QuickJit=0</c> added.
/// </summary>
internal static class QuickJitRestart
{
    /// <summary>The runtime's switch for quick JIT; a value already set (even 1) is respected and nothing restarts.</summary>
    public const string Variable = "DOTNET_TC_QuickJit";

    /// <summary>The commands restarted without quick JIT: those whose first seconds are measured (the demo's warm start).</summary>
    private static readonly string[] Commands = ["demo"];

    /// <summary>
    /// Whether a process started with <paramref name="args"/>, in an environment where <see cref="Variable"/> is
    /// <paramref name="current"/>, restarts itself without quick JIT.
    /// </summary>
    public static bool Wanted(IReadOnlyList<string> args, string? current) =>
        current is null && args.Count > 0 && Array.IndexOf(Commands, args[0]) >= 0;

    /// <summary>
    /// The program's own argument vector, read from the kernel's copy (/proc/self/cmdline: NUL-terminated strings), so
    /// the restart repeats exactly how it was started (<c>dotnet smartchain.dll …</c>, the apphost, a tool shim); null
    /// unless it ends with <paramref name="args"/>, the arguments the program was given.
    /// </summary>
    public static string[]? CommandLine(ReadOnlySpan<byte> cmdline, IReadOnlyList<string> args)
    {
        var argv = new List<string>();
        while (!cmdline.IsEmpty)
        {
            int end = cmdline.IndexOf((byte)0);
            if (end < 0)
            {
                return null; // every argument ends with a NUL; a cut-off copy is not repeated
            }

            argv.Add(Encoding.UTF8.GetString(cmdline[..end]));
            cmdline = cmdline[(end + 1)..];
        }

        if (argv.Count <= args.Count)
        {
            return null;
        }

        for (int i = 0; i < args.Count; i++)
        {
            if (!string.Equals(argv[argv.Count - args.Count + i], args[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return [.. argv];
    }

    /// <summary>The environment to restart with, as <c>NAME=value</c> entries: <paramref name="current"/> plus <see cref="Variable"/>=0.</summary>
    public static string[] RestartEnvironment(IDictionary current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var entries = new List<string>(current.Count + 1);
        foreach (DictionaryEntry entry in current)
        {
            if (!string.Equals((string)entry.Key, Variable, StringComparison.Ordinal))
            {
                entries.Add($"{entry.Key}={entry.Value}");
            }
        }

        entries.Add($"{Variable}=0");
        return [.. entries];
    }

    /// <summary>
    /// Restarts this process without quick JIT when <see cref="Wanted"/>; returns only if it does not (or cannot:
    /// then the command runs as it is, slower in its first seconds, after one line on standard error).
    /// </summary>
    public static void IfWanted(string[] args, TextWriter error)
    {
        if (!OperatingSystem.IsLinux() || !Wanted(args, System.Environment.GetEnvironmentVariable(Variable))
            || System.Environment.ProcessPath is not { } path)
        {
            return;
        }

        string[]? argv;
        try
        {
            argv = CommandLine(File.ReadAllBytes("/proc/self/cmdline"), args);
        }
        catch (IOException)
        {
            argv = null;
        }

        if (argv is null)
        {
            return;
        }

        RemoveDiagnosticSocket();
        int errno = Exec(path, argv, RestartEnvironment(System.Environment.GetEnvironmentVariables()));
        error.WriteLine($"note: could not restart without quick JIT (execve: errno {errno}); the load's first seconds may run slower");
    }

    /// <summary>
    /// The runtime's diagnostic socket (what dotnet-trace and dotnet-counters connect to) is removed only at a normal exit,
    /// which an execve skips; the restarted runtime opens its own, so this one would be left behind in the temporary folder.
    /// </summary>
    private static void RemoveDiagnosticSocket()
    {
        try
        {
            foreach (string socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{System.Environment.ProcessId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>execve(2) with NUL-terminated UTF-8 copies; returns errno (it returns at all only on failure).</summary>
    private static int Exec(string path, string[] argv, string[] environment)
    {
        var allocated = new List<IntPtr>();
        try
        {
            IntPtr file = Utf8(path, allocated);
            IntPtr[] nativeArgv = [.. argv.Select(a => Utf8(a, allocated)), IntPtr.Zero];
            IntPtr[] nativeEnvironment = [.. environment.Select(e => Utf8(e, allocated)), IntPtr.Zero];
            _ = Execve(file, nativeArgv, nativeEnvironment);
            return Marshal.GetLastPInvokeError();
        }
        finally
        {
            foreach (IntPtr p in allocated)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }
    }

    private static IntPtr Utf8(string s, List<IntPtr> allocated)
    {
        IntPtr p = Marshal.StringToCoTaskMemUTF8(s);
        allocated.Add(p);
        return p;
    }

    // DllImport, not LibraryImport: that would need unsafe code in this assembly; the arguments are blittable pointers.
    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Execve(IntPtr path, IntPtr[] argv, IntPtr[] environment);
}
