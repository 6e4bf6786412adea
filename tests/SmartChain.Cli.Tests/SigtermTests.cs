using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SmartChain.Cli.Testnet;

namespace SmartChain.Cli.Tests;

/// <summary>
/// Issue 17, item 4: under systemd a replica is stopped with SIGTERM (deploy/smartchain-replica@.service). It must stop
/// cleanly, exit 0 (so Restart=on-failure leaves it stopped) and log to standard output for the journal.
/// </summary>
public class SigtermTests
{
    [Fact]
    public async Task Sigterm_stops_a_replica_cleanly_with_exit_code_0_and_its_log_on_standard_output()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", net, "--base-port", TestPorts.FreeRange(8).ToString(CultureInfo.InvariantCulture)).ExitCode);
        string home = Path.Combine(net, "node0");
        var stdout = new ConcurrentQueue<string>();
        var stderr = new ConcurrentQueue<string>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true }.OwnedByThisRun();
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "smartchain.dll"), "node", "run", "--home", home])
        {
            start.ArgumentList.Add(arg);
        }

        using var replica = new Process { StartInfo = start, EnableRaisingEvents = true };
        replica.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                stdout.Enqueue(line);
                if (line.Contains(" started: ", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            }
        };
        replica.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { stderr.Enqueue(line); } };
        replica.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"the replica exited: {string.Join('\n', stdout.Concat(stderr))}"));
        Assert.True(replica.Start());
        replica.BeginOutputReadLine();
        replica.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(File.Exists(Path.Combine(home, TestnetProcesses.PidFileName)));

            using (Process kill = Process.Start("kill", ["-TERM", replica.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var clock = Stopwatch.StartNew();
            await replica.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(replica.ExitCode == 0, $"exit code {replica.ExitCode}: {string.Join('\n', stderr)}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed}");
            Assert.Contains(stdout, l => l.Contains("replica 0 stopped: ", StringComparison.Ordinal));
            Assert.Empty(stderr);
            Assert.False(File.Exists(Path.Combine(home, TestnetProcesses.PidFileName)), "node.pid was left behind");
        }
        finally
        {
            if (!replica.HasExited)
            {
                replica.Kill();
                await replica.WaitForExitAsync();
            }
        }
    }
}
