using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SmartChain.Node;

/// <summary>
/// Tells a replica process when the process that owns it (a test run, a demo, a benchmark) has exited, so that a killed
/// or timed-out owner leaves no replica behind. The owner is named by pid (<c>node run --parent-pid</c> or
/// <see cref="EnvironmentVariable"/>), not taken as the parent in the kernel's sense: <c>testnet start</c> launches
/// replicas in their own session and exits, so their kernel parent is gone at once while their owner lives on.
/// </summary>
/// <remarks>
/// Why not <c>prctl(PR_SET_PDEATHSIG)</c>: it fires when the forking <em>thread</em> ends (a .NET thread-pool thread
/// may retire while its children run), it follows only the direct parent, and it must be set between fork and exec,
/// which <see cref="Process.Start()"/> offers no hook for. On Linux this uses <c>pidfd_open(2)</c> and a blocking
/// <c>poll(2)</c> on a background thread: the kernel wakes it at the exit (no polling), and once opened the descriptor
/// names that process even if its pid is reused. Elsewhere, or on kernels before 5.3, it falls back to
/// <see cref="Process.WaitForExitAsync(CancellationToken)"/>.
/// </remarks>
public static class ParentWatch
{
    /// <summary>The environment variable that names the owner's pid when <c>--parent-pid</c> is not given.</summary>
    public const string EnvironmentVariable = "SMARTCHAIN_PARENT_PID";

    private const long SysPidfdOpen = 434; // the same number on x86-64 and arm64 (the generic syscall table)
    private const int ESRCH = 3;
    private const int EINTR = 4;
    private const int PollIn = 0x001;

    /// <summary>The owner's pid from <see cref="EnvironmentVariable"/>; null if unset, empty or not a positive number.</summary>
    public static int? FromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;

    /// <summary>Completes when process <paramref name="pid"/> has exited (at once if it does not exist).</summary>
    /// <param name="pid">The owner's process id.</param>
    public static Task ExitOfAsync(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        if (OperatingSystem.IsLinux())
        {
            int fd = OpenPidfd(pid);
            if (fd >= 0)
            {
                var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var thread = new Thread(() =>
                {
                    WaitUntilReadable(fd, pid);
                    exited.TrySetResult();
                })
                {
                    IsBackground = true, // never keeps the process alive
                    Name = $"watch of pid {pid}",
                };
                thread.Start();
                return exited.Task;
            }

            if (Marshal.GetLastPInvokeError() == ESRCH)
            {
                return Task.CompletedTask;
            }
        }

        try
        {
            Process owner = Process.GetProcessById(pid);
            return WaitForExitAsync(owner);
        }
        catch (ArgumentException)
        {
            return Task.CompletedTask; // no such process
        }
    }

    private static async Task WaitForExitAsync(Process owner)
    {
        using (owner)
        {
            await owner.WaitForExitAsync();
        }
    }

    private static int OpenPidfd(int pid)
    {
        try
        {
            return (int)Syscall(SysPidfdOpen, pid, 0);
        }
        catch (EntryPointNotFoundException)
        {
            return -1;
        }
    }

    // A pidfd polls readable once its process has exited. EINTR is retried; any other failure falls back to waiting
    // on the process object, so an error never looks like the owner's exit.
    private static void WaitUntilReadable(int fd, int pid)
    {
        // struct pollfd { int fd; short events; short revents; } as two ints (little-endian: events in the low half).
        int[] pollFd = [fd, PollIn];
        try
        {
            while (true)
            {
                int ready = Poll(pollFd, 1, -1);
                if (ready > 0)
                {
                    return;
                }

                if (ready < 0 && Marshal.GetLastPInvokeError() != EINTR)
                {
                    try
                    {
                        using Process owner = Process.GetProcessById(pid);
                        owner.WaitForExit();
                    }
                    catch (ArgumentException)
                    {
                    }

                    return;
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport, not LibraryImport: that would need unsafe code in this assembly; all arguments here are blittable.
    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern long Syscall(long number, int pid, uint flags);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Poll(int[] fds, ulong count, int timeout);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
