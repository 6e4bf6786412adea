using System.Text.Json;
using SmartChain.Cli.Tests;

namespace SmartChain.IntegrationTests;

/// <summary>The README's first command and the benchmark, as processes, with short durations.</summary>
public sealed class DemoAndBenchTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "smartchain-demo-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_runs_a_network_verifies_four_identical_ledgers_and_leaves_no_process()
    {
        string net = Path.Combine(_dir, "net");
        // The README's command with its default 16 clients: all of them connect from 127.0.0.1, which each replica allows
        // only a few unfinished handshakes at a time.
        CliRun demo = await CliRun.AsProcessAsync("demo", "--duration", "3", "--dir", net, "--json");
        Assert.True(demo.ExitCode == 0, demo.Output + demo.Error);

        using JsonDocument json = JsonDocument.Parse(demo.Output);
        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("succeeded").GetBoolean());
        Assert.True(root.GetProperty("transactions").GetInt64() > 0);
        JsonElement[] replicas = [.. root.GetProperty("replicas").EnumerateArray()];
        Assert.Equal(4, replicas.Length);
        Assert.All(replicas, r => Assert.True(r.GetProperty("verified").GetBoolean()));
        // Replicas stop one after another, so the last to stop may hold a block or two more: the ledgers must be
        // identical up to the shortest one, and within the demo's spread.
        Assert.Single(replicas.Select(r => r.GetProperty("hashAtCommonHeight").GetString()).Distinct());
        Assert.DoesNotContain(replicas, r => r.GetProperty("hashAtCommonHeight").GetString() is null);
        Assert.InRange(root.GetProperty("heightSpread").GetInt64(), 0, 8);
        Assert.True(root.GetProperty("commonHeight").GetInt64() > 0);
        Assert.True(root.GetProperty("warmStart").GetProperty("steadyTxPerSecond").GetDouble() > 0);
        // The demo restarted its own process without quick JIT, as its replicas run (issue 16, warm start).
        Assert.Equal("0", root.GetProperty("demoProcessQuickJit").GetString());
        Assert.True(root.GetProperty("timeline").GetArrayLength() >= 10, "a 3 s load sampled about every 100 ms");

        // Kept (--dir), and every replica stopped: no pid file names a live process.
        Assert.True(File.Exists(Path.Combine(net, "genesis.json")));
        Assert.All(Directory.GetDirectories(net, "node*"), home => Assert.False(File.Exists(Path.Combine(home, "node.pid")), $"{home} still has a pid file"));
        CliRun verify = await CliRun.AsProcessAsync("ledger", "verify", "--home", Path.Combine(net, "node2"));
        Assert.True(verify.ExitCode == 0, verify.Error);
    }

    [Fact]
    public async Task The_demo_survives_killing_its_leader_and_still_ends_with_four_identical_verified_ledgers()
    {
        CliRun demo = await CliRun.AsProcessAsync("demo", "--duration", "12", "--clients", "4", "--kill-leader-at", "4s");
        Assert.True(demo.ExitCode == 0, demo.Output + demo.Error);
        Assert.Contains("killed replica 0, the leader", demo.Output, StringComparison.Ordinal);
        Assert.Contains("leader 1", demo.Output, StringComparison.Ordinal); // the progress shows the new leader
        Assert.Contains("all 4 ledgers verified and identical up to block", demo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_demo_grows_its_network_by_a_join_under_load_and_verifies_every_ledger()
    {
        CliRun demo = await CliRun.AsProcessAsync("demo", "--duration", "8", "--clients", "2", "--grow-to", "5", "--json");
        Assert.True(demo.ExitCode == 0, demo.Output + demo.Error);
        using JsonDocument json = JsonDocument.Parse(demo.Output);
        JsonElement[] replicas = [.. json.RootElement.GetProperty("replicas").EnumerateArray()];
        Assert.Equal([0, 1, 2, 3, 4], replicas.Select(r => r.GetProperty("replica").GetInt32()));
        Assert.All(replicas, r => Assert.True(r.GetProperty("verified").GetBoolean()));
        Assert.Single(replicas.Select(r => r.GetProperty("hashAtCommonHeight").GetString()).Distinct());
    }

    [Fact]
    public async Task The_benchmark_writes_its_table_json_and_charts()
    {
        string output = Path.Combine(_dir, "bench");
        CliRun bench = await CliRun.AsProcessAsync("bench", "--only", "strong", "seq-sync", "--operations", "spend", "--clients", "2",
            "--runs", "1", "--duration", "1", "--out", output);
        Assert.True(bench.ExitCode == 0, bench.Output + bench.Error);
        Assert.Contains("strong SPEND ≥ 8 × sequential-verification-sync-writes SPEND", bench.Output, StringComparison.Ordinal);

        string markdown = await File.ReadAllTextAsync(Path.Combine(output, "bench.md"));
        Assert.Contains("| SmartChain, strong persistence | SPEND |", markdown, StringComparison.Ordinal);
        Assert.Contains("| sequential verification, sync writes | SPEND |", markdown, StringComparison.Ordinal);
        Assert.Contains("SPEND bound", markdown, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "bench.json")));
        Assert.True(json.RootElement.GetProperty("ceilings").GetProperty("verificationsPerSecond").GetDouble() > 0);
        JsonElement[] points = [.. json.RootElement.GetProperty("points").EnumerateArray()];
        Assert.Equal(4, points.Length); // 2 configurations × (1 sweep point + 1 run)
        Assert.All(points, p => Assert.True(p.GetProperty("txPerSecond").GetDouble() > 0 && p.GetProperty("errors").GetInt64() == 0));
        Assert.All(points, p => Assert.Equal(4, p.GetProperty("cpuPerReplica").GetArrayLength()));
        // What a transaction costs: every replica and the load generator spent some CPU on each accepted one.
        Assert.All(points, p => Assert.All(p.GetProperty("cpuMicrosPerTxPerReplica").EnumerateArray(), us => Assert.True(us.GetDouble() > 0, p.ToString())));
        Assert.All(points, p => Assert.Equal(4, p.GetProperty("cpuMicrosPerTxPerReplica").GetArrayLength()));
        Assert.All(points, p => Assert.True(p.GetProperty("loadGeneratorCpuMicrosPerTx").GetDouble() > 0, p.ToString()));
        // SmartChain's runs add blocks (their batch size is known); the baseline's naive ledger keeps none.
        Assert.All(points.Where(p => p.GetProperty("configuration").GetString() == "strong"),
            p => Assert.True(p.GetProperty("blocks").GetInt64() > 0 && p.GetProperty("txPerBlock").GetDouble() > 0, p.ToString()));
        Assert.All(points.Where(p => p.GetProperty("configuration").GetString() == "seq-sync"), p => Assert.Equal(0, p.GetProperty("blocks").GetInt64()));
        Assert.Contains("| CPU µs/tx per replica | bytes allocated per tx per replica | GC pause ms per second | load generator µs/tx |", markdown, StringComparison.Ordinal);
        // Allocations per transaction come from the replicas' own GC totals at the window's edges: each of the four allocated some.
        Assert.All(points.Where(p => p.GetProperty("configuration").GetString() == "strong"), p =>
        {
            Assert.Equal(4, p.GetProperty("allocatedBytesPerTxPerReplica").GetArrayLength());
            Assert.All(p.GetProperty("allocatedBytesPerTxPerReplica").EnumerateArray(), b => Assert.True(b.GetDouble() > 0, p.ToString()));
        });
        // The timeline covers warm-up and measurement (1 s + 1 s here), accepted counts never fall, and the warm start is read from it.
        Assert.All(points, p =>
        {
            JsonElement[] timeline = [.. p.GetProperty("timeline").EnumerateArray()];
            Assert.True(timeline[^1][0].GetDouble() >= 1.9, p.ToString());
            Assert.True(timeline.Zip(timeline.Skip(1)).All(w => w.Second[1].GetInt64() >= w.First[1].GetInt64()), "accepted counts never fall");
            Assert.True(p.GetProperty("warmStart").GetProperty("steadyTxPerSecond").GetDouble() > 0);
        });

        // The latency tail: every measured request is counted in the histogram, the slowest are explained, all are in a CSV,
        // and the replicas' logs outlive their network.
        Assert.All(points, p =>
        {
            JsonElement tail = p.GetProperty("tail");
            Assert.Equal(p.GetProperty("transactions").GetInt64(), tail.GetProperty("requests").GetInt64());
            Assert.Equal(tail.GetProperty("requests").GetInt64(), tail.GetProperty("histogramMs").EnumerateArray().Sum(b => b[1].GetInt64()));
            Assert.True(tail.GetProperty("slowest").GetArrayLength() > 0, p.ToString());
        });
        string[] csv = await File.ReadAllLinesAsync(Path.Combine(output, "requests", "strong-spend-2-run1.csv"));
        Assert.Equal("stream,slot_us,sent_us,done_us,latency_us,block,instance", csv[0]);
        Assert.Equal(points.Single(p => p.GetProperty("configuration").GetString() == "strong" && !p.GetProperty("sweep").GetBoolean())
            .GetProperty("transactions").GetInt64(), csv.Length - 1);
        Assert.Contains("started", await File.ReadAllTextAsync(Path.Combine(output, "logs", "strong-node0.log")), StringComparison.Ordinal);

        foreach (string chart in new[] { "throughput-vs-clients.png", "latency-vs-throughput.png" })
        {
            byte[] png = await File.ReadAllBytesAsync(Path.Combine(output, chart));
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        }

        Assert.False(Directory.Exists(Path.Combine(output, "networks", "strong")), "the benchmark's networks are removed");
    }
}
