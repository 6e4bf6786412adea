using System.Diagnostics;

namespace SmartChain.Testbed;

/// <summary>Starts a detached process inside a namespace and identifies it by pid and start time.</summary>
internal static class ProcessLauncher
{
    public static TestbedProcess Launch(string hostName, string ns, IReadOnlyList<string> command, string logFile, string role)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        // ip netns exec and setsid both exec in place, so the pid we see is the pid of the command itself.
        start.ArgumentList.Add("exec ip netns exec \"$SMARTCHAIN_NS\" setsid \"$@\" >>\"$SMARTCHAIN_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add("sh");
        foreach (string part in command)
        {
            start.ArgumentList.Add(part);
        }

        start.Environment["SMARTCHAIN_NS"] = ns;
        start.Environment["SMARTCHAIN_LOG"] = Path.GetFullPath(logFile);
        using Process process = Process.Start(start) ?? throw new TestbedException($"could not start {command[0]} in {ns}");
        long startTime = ProcFs.StartTime(process.Id) ?? throw new TestbedException($"{command[0]} in {ns} exited at once; see {logFile}");
        var record = new TestbedProcess(hostName, process.Id, startTime, [.. command], Path.GetFullPath(logFile), role);
        return record;
    }
}
