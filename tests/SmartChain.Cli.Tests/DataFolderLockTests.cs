using System.Diagnostics;
using SmartChain.Cli.Testnet;
using SmartChain.Core.Configuration;

namespace SmartChain.Cli.Tests;

/// <summary>
/// Second reader's finding 9: the home lock did not cover a data folder outside the home, so a copied home (or two
/// homes naming one path) ran a second replica on a live ledger. The data folder is locked too. Two real processes.
/// </summary>
public class DataFolderLockTests
{
    [Fact]
    public async Task A_second_home_naming_the_data_folder_of_a_live_replica_is_refused_and_touches_nothing()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", net, "--base-port", TestPorts.FreeRange(8).ToString(System.Globalization.CultureInfo.InvariantCulture)).ExitCode);
        string home = Path.Combine(net, "node0");
        string data = dir.Combine("shared-data");

        // node0 keeps its data outside its home; a copy of the home (another folder, so another home lock) names it too.
        NodeConfig config = NodeConfig.Load(Path.Combine(home, NodeConfig.FileName)) with { DataDir = data };
        File.Delete(Path.Combine(home, NodeConfig.FileName));
        config.Save(Path.Combine(home, NodeConfig.FileName));
        string copy = dir.Combine("copy-of-node0");
        Directory.CreateDirectory(copy);
        config.Save(Path.Combine(copy, NodeConfig.FileName));

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true }.OwnedByThisRun();
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "smartchain.dll"), "node", "run", "--home", home])
        {
            start.ArgumentList.Add(arg);
        }

        using var first = new Process { StartInfo = start, EnableRaisingEvents = true };
        first.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue(line);
                if (line.Contains(" started: ", StringComparison.Ordinal))
                {
                    started.TrySetResult();
                }
            }
        };
        first.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { output.Enqueue(line); } };
        first.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"the first replica exited: {string.Join('\n', output)}"));
        Assert.True(first.Start());
        first.BeginOutputReadLine();
        first.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
            string[] before = Snapshot(data);

            CliRun second = await CliRun.AsProcessAsync(TimeSpan.FromSeconds(30), "node", "run", "--home", copy);

            Assert.Equal($"error: {data} is in use by another process, which holds {Path.Combine(data, "LOCK")}; stop it first", second.Error.Trim());
            Assert.Equal(1, second.ExitCode);
            Assert.Equal(before, Snapshot(data));
            Assert.False(first.HasExited);
        }
        finally
        {
            await TestnetProcesses.StopAsync(first.Id, TimeSpan.FromSeconds(10));
        }
    }

    // Every file of the data folder with its size and time: a refused replica must change none of them.
    private static string[] Snapshot(string data) =>
        [.. Directory.GetFiles(data, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O}")];
}
