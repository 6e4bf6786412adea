using System.Diagnostics;
using SmartChain.Cli.Testnet;
using SmartChain.Core.IO;

namespace SmartChain.Cli.Tests;

/// <summary>
/// A replica started by a test run, a demo or a benchmark must not outlive it: a test session that timed out left
/// replica processes running. <c>node run --parent-pid</c> stops the replica when the named process exits, however it
/// exits. Real processes: a parent shell starts a replica and is then killed with SIGKILL.
/// </summary>
public class ParentExitTests
{
    [Fact]
    public async Task A_replica_exits_within_seconds_once_the_parent_that_started_it_is_killed()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", net, "--base-port", TestPorts.FreeRange(8).ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
        string home = Path.Combine(net, "node0");

        // The parent: a shell that starts the replica in the background, says its pid, and waits (exec keeps its pid).
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["-c", "dotnet \"$0\" node run --home \"$1\" --parent-pid $$ & echo \"replica pid $!\"; exec sleep 120",
                     Path.Combine(AppContext.BaseDirectory, "smartchain.dll"), home])
        {
            start.ArgumentList.Add(arg);
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var replicaPid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // every writer of the pipe is gone
        using var parent = new Process { StartInfo = start };
        parent.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                closed.TrySetResult();
                return;
            }

            output.Enqueue(line);
            if (line.StartsWith("replica pid ", StringComparison.Ordinal))
            {
                replicaPid.TrySetResult(int.Parse(line["replica pid ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (line.Contains(" started: ", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        parent.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { output.Enqueue(line); } };
        Assert.True(parent.Start());
        parent.BeginOutputReadLine();
        parent.BeginErrorReadLine();
        int pid = await replicaPid.Task.WaitAsync(TimeSpan.FromSeconds(10));
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(DirectoryLock.IsHeld(home));

            parent.Kill(); // SIGKILL to the shell alone (not its tree): the replica is orphaned, as when a test host is killed
            var clock = Stopwatch.StartNew();

            // The replica held the other end of the output pipe: it closes when the replica process has ended.
            try
            {
                await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"the replica (pid {pid}) still runs 10 s after its parent was killed: {string.Join(" | ", output.TakeLast(5))}");
            }

            Assert.Contains($"parent process {parent.Id} exited; stopping", output);
            Assert.False(DirectoryLock.IsHeld(home), "the replica's home is still locked");
            Assert.Null(TestnetProcesses.PidIn(home)); // it stopped cleanly: its pid file is gone
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        }
        finally
        {
            if (TestnetProcesses.IsAlive(pid) && TestnetProcesses.RunsHome(pid, home))
            {
                await TestnetProcesses.StopAsync(pid, TimeSpan.FromSeconds(5));
            }
        }
    }
}
