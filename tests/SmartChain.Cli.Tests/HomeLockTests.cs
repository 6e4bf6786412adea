using System.Diagnostics;
using SmartChain.Cli.Testnet;

namespace SmartChain.Cli.Tests;

/// <summary>Issue 14, point 7: one replica per home, and <c>testnet stop</c> signals only that replica.</summary>
public class HomeLockTests
{
    [Fact]
    public async Task A_second_node_run_on_a_live_home_fails_at_once_naming_the_home_and_pid_and_touches_nothing()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", net).ExitCode);
        string home = Path.Combine(net, "node0");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using Process first = StartReplica(home, line =>
        {
            output.Enqueue(line);
            if (line.Contains(" started: ", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        });
        first.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"the first replica exited: {string.Join('\n', output)}"));
        try
        {
            // The replica logs "started" once it holds its home, wrote its pid file, recovered and created its files:
            // awaited (bounded), so the snapshot below is of a settled home.
            await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(first.Id, PidFile(home));

            string[] before = Snapshot(home);
            CliRun second = await CliRun.AsProcessAsync(TimeSpan.FromSeconds(20), "node", "run", "--home", home);

            Assert.Equal(first.Id, PidFile(home));
            Assert.Equal(before, Snapshot(home));
            Assert.Equal(1, second.ExitCode);
            Assert.Equal($"error: {home} is in use by pid {first.Id}, which holds {Path.Combine(home, "LOCK")}; stop it first", second.Error.Trim());
            Assert.False(first.HasExited);
            Assert.Equal(first.Id, TestnetProcesses.RunningPid(home));
        }
        finally
        {
            await TestnetProcesses.StopAsync(first.Id, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Testnet_stop_does_not_signal_a_process_that_reuses_a_stale_pid()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", net).ExitCode);
        using Process stranger = Process.Start("sleep", "60");
        try
        {
            // A replica that crashed left its pid file; the kernel has since given that pid to an unrelated process.
            await File.WriteAllTextAsync(Path.Combine(net, "node0", TestnetProcesses.PidFileName), stranger.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

            CliRun stop = CliRun.InProcess("testnet", "stop", "--dir", net);

            // A signalled process would be dead by now: stop waits for what it signals to exit.
            Assert.False(stranger.HasExited, "testnet stop signalled a process that is not the replica");
            Assert.Contains($"node0: pid {stranger.Id} in node.pid is not this replica (it no longer runs); not signalled", stop.Output, StringComparison.Ordinal);
            Assert.Null(TestnetProcesses.RunningPid(Path.Combine(net, "node0")));
        }
        finally
        {
            stranger.Kill();
            await stranger.WaitForExitAsync();
        }
    }

    // The data files and the vote log, with sizes and times: a second replica must change none of them.
    private static string[] Snapshot(string home) =>
        [.. Directory.GetFiles(home, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".log", StringComparison.Ordinal) || f.EndsWith("votes.log", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}")];

    private static int? PidFile(string home)
    {
        string file = Path.Combine(home, TestnetProcesses.PidFileName);
        return File.Exists(file) && int.TryParse(File.ReadAllText(file), System.Globalization.CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    private static Process StartReplica(string home, Action<string> onLine)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true }
            .OwnedByThisRun();
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "smartchain.dll"));
        foreach (string arg in (string[])["node", "run", "--home", home])
        {
            start.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { onLine(line); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { onLine(line); } };
        if (!process.Start())
        {
            throw new InvalidOperationException("could not start a replica");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
