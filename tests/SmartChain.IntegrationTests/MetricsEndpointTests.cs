using System.Diagnostics;
using SmartChain.Cli.Tests;

namespace SmartChain.IntegrationTests;

public sealed class MetricsEndpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "smartchain-metrics", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_replica_serves_Prometheus_metrics_and_stops_cleanly_on_SIGTERM()
    {
        // The metrics port is probed free in this process, but another test process may bind it before the replica does
        // (ports are reserved per process only): a replica that could not bind it is started again on fresh ports, at
        // most three times; any other early exit fails the test.
        Process node;
        int metricsPort;
        for (int attempt = 1; ; attempt++)
        {
            (node, metricsPort, bool started) = await StartReplicaAsync();
            if (started)
            {
                break;
            }

            string error = await node.StandardError.ReadToEndAsync();
            if (!error.Contains("HttpListener could not be started", StringComparison.Ordinal) || attempt == 3)
            {
                Assert.Fail($"the replica exited with code {node.ExitCode} before serving metrics (attempt {attempt}): {error} {await node.StandardOutput.ReadToEndAsync()}");
            }

            node.Dispose();
        }

        using Process running = node;
        Task<string> logs = node.StandardOutput.ReadToEndAsync();
        Task<string> errors = node.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            string metrics = "";
            while (!metrics.Contains("smartchain_pool_pending", StringComparison.Ordinal))
            {
                if (node.HasExited)
                {
                    Assert.Fail($"the replica exited with code {node.ExitCode} before serving metrics: {await errors} {await logs}");
                }

                try
                {
                    metrics = await http.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"), deadline.Token);
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !deadline.IsCancellationRequested))
                {
                    await Task.Delay(50, deadline.Token); // the endpoint is not up yet
                }
            }

            Assert.Contains("smartchain_network_connected_peers", metrics, StringComparison.Ordinal);
            Assert.Contains("otel_scope_replica=\"0\"", metrics, StringComparison.Ordinal);
        }
        finally
        {
            string pidFile = Path.Combine(_dir, "node0", "node.pid");
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!File.Exists(pidFile) && !node.HasExited)
            {
                await Task.Delay(50, deadline.Token);
            }

            using (Process kill = Process.Start("kill", ["-TERM", node.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(deadline.Token);
            }

            await node.WaitForExitAsync(deadline.Token);
        }

        Assert.Equal(0, node.ExitCode);
        Assert.Contains("replica 0 stopped", await logs, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "node0", "node.pid")));
    }

    // Initialises a fresh testnet on fresh ports and starts its replica 0 with a metrics port; returns once the
    // replica logged that it started (it does so only after its exporter bound the port) or has exited.
    private async Task<(Process Node, int MetricsPort, bool Started)> StartReplicaAsync()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }

        int basePort = TestPorts.FreeRange(9);
        Assert.Equal(0, (await CliRun.AsProcessAsync("testnet", "init", "--dir", _dir, "--base-port", basePort.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        int metricsPort = basePort + 8;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true }.OwnedByThisRun();
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "smartchain.dll"), "node", "run", "--home", Path.Combine(_dir, "node0"), "--metrics-port", metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        Process node = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line;
        while ((line = await node.StandardOutput.ReadLineAsync(deadline.Token)) is not null)
        {
            if (line.Contains("replica 0 started", StringComparison.Ordinal))
            {
                return (node, metricsPort, true);
            }
        }

        await node.WaitForExitAsync(deadline.Token); // its output ended: it exited
        return (node, metricsPort, false);
    }
}
