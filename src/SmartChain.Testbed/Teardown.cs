using System.Diagnostics;
using System.Globalization;

namespace SmartChain.Testbed;

/// <summary>
/// Removes a testbed from its state file: processes first (a namespace with a process in it would outlive its name),
/// then the namespaces, which takes every veth pair with them. Each step tolerates what is already gone.
/// </summary>
internal static class Teardown
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    public static IReadOnlyList<string> Down(string folder, TextWriter log)
    {
        if (!File.Exists(TestbedState.PathIn(folder)))
        {
            log.WriteLine($"{folder}: no testbed state; nothing to remove");
            return [];
        }

        TestbedState state = TestbedState.Load(folder);
        StopRecorded(state, log);
        IReadOnlyList<string> existing = TestbedNetwork.ExistingNamespaces();
        List<string> ours = [.. state.Namespaces.Where(existing.Contains)];
        KillInside(ours, log);
        foreach (string ns in ours)
        {
            (int code, _, string error) = Shell.TryRun("ip", "netns", "del", ns);
            if (code != 0)
            {
                log.WriteLine($"could not remove namespace {ns}: {error.Trim()}");
            }
        }

        state.Down = true;
        state.Save(folder);
        IReadOnlyList<string> left = Leftovers(state);
        log.WriteLine(left.Count == 0
            ? $"testbed {state.Prefix} is down: {ours.Count} namespaces removed, no process or link left"
            : $"testbed {state.Prefix}: left behind: {string.Join("; ", left)}");
        return left;
    }

    public static IReadOnlyList<string> Leftovers(TestbedState state)
    {
        var left = new List<string>();
        IReadOnlyList<string> existing = TestbedNetwork.ExistingNamespaces();
        left.AddRange(state.Namespaces.Where(existing.Contains).Select(ns => $"namespace {ns}"));
        left.AddRange(TestbedNetwork.ExistingNamespaces().Where(ns => ns.StartsWith(state.Prefix + "-", StringComparison.Ordinal) && !state.Namespaces.Contains(ns))
            .Select(ns => $"namespace {ns}"));
        left.AddRange(IsolationCheck.HostLinkViolations(state.MacPrefix, Shell.Run("ip", "-j", "link", "show")));
        left.AddRange(state.Processes.Where(ProcFs.IsRunning).Select(p => $"process {p.Pid} ({p.Role} on {p.Host})"));
        return left;
    }

    private static void StopRecorded(TestbedState state, TextWriter log)
    {
        // Only a pid whose start time is the one recorded is ours: a recycled pid belongs to someone else.
        List<TestbedProcess> running = [.. state.Processes.Where(ProcFs.IsRunning)];
        foreach (TestbedProcess p in running)
        {
            ProcFs.Signal(p.Pid, ProcFs.SigCont); // a stopped process cannot act on SIGTERM
            ProcFs.Signal(p.Pid, ProcFs.SigTerm);
        }

        var watch = Stopwatch.StartNew();
        while (running.Any(ProcFs.IsRunning) && watch.Elapsed < Grace)
        {
            Thread.Sleep(50); // another process's exit cannot be awaited without being its parent
        }

        foreach (TestbedProcess p in running)
        {
            if (ProcFs.IsRunning(p))
            {
                ProcFs.Signal(p.Pid, ProcFs.SigKill);
                log.WriteLine($"killed {p.Role} on {p.Host} (pid {p.Pid}) after {Grace.TotalSeconds} s");
            }
            else
            {
                log.WriteLine($"stopped {p.Role} on {p.Host} (pid {p.Pid})");
            }
        }

        WaitGone(running.Select(p => p.Pid));
    }

    private static void KillInside(IEnumerable<string> namespaces, TextWriter log)
    {
        // Whatever still runs inside one of our namespaces was started there through the testbed (or by someone
        // using it, like a wallet command): it is ours to end.
        var pids = new List<int>();
        foreach (string ns in namespaces)
        {
            (int code, string output, _) = Shell.TryRun("ip", "netns", "pids", ns);
            if (code != 0)
            {
                continue;
            }

            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(line.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    ProcFs.Signal(pid, ProcFs.SigKill);
                    pids.Add(pid);
                    log.WriteLine($"killed pid {pid} left in {ns}");
                }
            }
        }

        WaitGone(pids);
    }

    private static void WaitGone(IEnumerable<int> pids)
    {
        List<int> all = [.. pids];
        var watch = Stopwatch.StartNew();
        while (all.Any(pid => ProcFs.StartTime(pid) is not null && !ProcFs.IsZombie(pid)) && watch.Elapsed < Grace)
        {
            Thread.Sleep(20);
        }
    }
}
