using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SmartChain.Cli.Tests;

namespace SmartChain.IntegrationTests;

/// <summary><c>node run --http</c> as a user starts it: a real replica process serving its HTTP API.</summary>
public sealed class ApiProcessTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "smartchain-api-process", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_replica_started_with_http_serves_its_API_says_it_is_not_ready_alone_and_stops_cleanly()
    {
        int basePort = TestPorts.FreeRange(9);
        Assert.Equal(0, (await CliRun.AsProcessAsync("testnet", "init", "--dir", _dir, "--base-port", basePort.ToString(CultureInfo.InvariantCulture))).ExitCode);
        int httpPort = basePort + 8;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "smartchain.dll"), "node", "run", "--home", Path.Combine(_dir, "node0"),
                     "--http", httpPort.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        using Process node = Process.Start(start)!;
        Task<string> errors = node.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            // The replica prints where its API listens once it does.
            string? line;
            while ((line = await node.StandardOutput.ReadLineAsync(deadline.Token)) is not null && !line.Contains("HTTP API and explorer on", StringComparison.Ordinal))
            {
            }

            if (line is null)
            {
                await node.WaitForExitAsync(deadline.Token);
                Assert.Fail($"the replica exited ({node.ExitCode}) without starting its API: {await errors}");
            }

            Assert.Contains($"http://127.0.0.1:{httpPort}/", line, StringComparison.Ordinal);
            Task<string> rest = node.StandardOutput.ReadToEndAsync();

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(10) };
            Assert.Equal("up", JsonDocument.Parse(await http.GetStringAsync("healthz", deadline.Token)).RootElement.GetProperty("status").GetString());
            HttpResponseMessage ready = await http.GetAsync("readyz", deadline.Token);
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode); // alone: no quorum
            Assert.Equal("application/problem+json", ready.Content.Headers.ContentType?.MediaType);
            Assert.Contains("quorum", await ready.Content.ReadAsStringAsync(deadline.Token), StringComparison.Ordinal);
            JsonElement genesisBlock = JsonDocument.Parse(await http.GetStringAsync("api/v1/blocks/0", deadline.Token)).RootElement;
            Assert.Equal(0, genesisBlock.GetProperty("number").GetInt64());
            string openApi = await http.GetStringAsync("openapi/v1.json", deadline.Token);
            Assert.Contains("/api/v1/status", openApi, StringComparison.Ordinal);
            Assert.Contains("/api/v1/coins/{owner}", openApi, StringComparison.Ordinal); // node run composes SMaRtCoin's own endpoints in
            HttpResponseMessage bad = await http.GetAsync("api/v1/blocks/nope", deadline.Token);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);

            await StopAsync(node, deadline.Token);
            Assert.Equal(0, node.ExitCode);
            Assert.Contains("replica 0 stopped", await rest, StringComparison.Ordinal);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
            }
        }
    }

    private async Task StopAsync(Process node, CancellationToken cancellationToken)
    {
        string pidFile = Path.Combine(_dir, "node0", "node.pid");
        Assert.True(File.Exists(pidFile), "the replica wrote its pid file before its API started");
        using (Process kill = Process.Start("kill", ["-TERM", node.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        await node.WaitForExitAsync(cancellationToken);
    }
}
