using System.Globalization;
using SmartChain.Cli.Testnet;
using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Load;
using SmartChain.Network.Client;

namespace SmartChain.Cli.Bench;

/// <summary>
/// Runs the benchmark matrix: per configuration a fresh local network (or the given one), per operation a sweep over
/// client counts to find saturation, then repeated runs there. Every run warms up before it is measured.
/// </summary>
internal sealed class BenchRunner(BenchOptions options, TextWriter output)
{
    private int MaxStreams => options.ClientSweep.Max() * options.StreamsPerClient;

    public async Task<BenchResults> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        output.WriteLine($"measuring this machine's ceilings ({Environment.ProcessorCount} cores)");
        MachineCeilings ceilings = MachineCeilings.Measure(options.OutputDirectory);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Ed25519 {ceilings.VerificationsPerSecond:#,0} verifications/s on all cores, {ceilings.SignaturesPerSecond:#,0} signatures/s on one; " +
            $"{ceilings.FsyncsPerSecond:#,0} fsyncs/s; SPEND bound with {options.Replicas} replicas here: {ceilings.SpendBound(options.Replicas):#,0} tx/s"));

        var points = new List<BenchPoint>();
        IEnumerable<BenchConfiguration> configurations = options.Network is null
            ? BenchConfiguration.All.Where(c => options.Configurations.Contains(c.Key))
            : [new BenchConfiguration("network", $"the network of {options.Network}", PersistenceMode.Strong, [], null, null)];
        foreach (BenchConfiguration configuration in configurations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            points.AddRange(await RunConfigurationAsync(configuration, cancellationToken));
        }

        return new BenchResults(DateTime.UtcNow, ceilings, options.Replicas, points);
    }

    private async Task<List<BenchPoint>> RunConfigurationAsync(BenchConfiguration configuration, CancellationToken cancellationToken)
    {
        output.WriteLine($"[{configuration.Key}] {configuration.Name}");
        LocalNetwork? local = null;
        GenesisDocument genesis;
        Ed25519KeyPair[] minters;
        if (options.Network is { } genesisPath)
        {
            genesis = GenesisJson.Load(genesisPath);
            string wallets = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(genesisPath))!, TestnetInitializer.WalletsFolder);
            minters = [.. Enumerable.Range(0, genesis.Minters.Count).Select(k => KeyFile.Load(Path.Combine(wallets, TestnetInitializer.MinterKeyFile(k))))];
        }
        else
        {
            local = await LocalNetwork.StartAsync(Path.Combine(options.OutputDirectory, "networks", configuration.Key), options.Replicas,
                configuration.Persistence, MaxStreams, configuration.NodeArgs, TextWriter.Null);
            genesis = local.Genesis;
            minters = local.LoadMinters();
        }

        var points = new List<BenchPoint>();
        List<ChainClient> clients = [];
        try
        {
            clients = await LocalNetwork.ConnectClientsAsync(genesis, options.ClientSweep.Max(), cancellationToken);
            foreach (string operation in options.Operations)
            {
                var sweep = new List<BenchPoint>();
                foreach (int count in options.ClientSweep)
                {
                    sweep.Add(await RunOnceAsync(configuration, operation, genesis, minters, clients, count, 0, local, sweep: true, cancellationToken));
                }

                points.AddRange(sweep);
                int best = sweep.MaxBy(p => p.Result.TxPerSecond)!.Clients;
                var saturated = new List<BenchPoint>();
                for (int run = 1; run <= options.Runs; run++)
                {
                    saturated.Add(await RunOnceAsync(configuration, operation, genesis, minters, clients, best, run, local, sweep: false, cancellationToken,
                        rate: options.Rate));
                }

                points.AddRange(saturated);
                double saturating = saturated.Count > 0 ? saturated.Select(p => p.Result.TxPerSecond).Order().ElementAt(saturated.Count / 2)
                    : sweep.Max(p => p.Result.TxPerSecond);
                foreach (int percent in options.PacedPercents)
                {
                    for (int run = 1; run <= Math.Max(1, options.Runs); run++)
                    {
                        points.Add(await RunOnceAsync(configuration, operation, genesis, minters, clients, best, run, local, sweep: false, cancellationToken,
                            rate: saturating * percent / 100));
                    }
                }
            }
        }
        finally
        {
            foreach (ChainClient client in clients)
            {
                await client.DisposeAsync();
            }

            Array.ForEach(minters, m => m.Dispose());
            if (local is not null)
            {
                await local.DisposeAsync();
                KeepLogs(local.Folder, configuration.Key);
                Directory.Delete(local.Folder, recursive: true);
            }
        }

        return points;
    }

    private async Task<BenchPoint> RunOnceAsync(BenchConfiguration configuration, string operation, GenesisDocument genesis, Ed25519KeyPair[] minters,
        List<ChainClient> clients, int count, int run, LocalNetwork? local, bool sweep, CancellationToken cancellationToken, double? rate = null)
    {
        int streams = count * options.StreamsPerClient;
        IReadOnlyDictionary<int, int> pids = local?.Pids() ?? ReplicasOnThisMachine();
        var cpuAtStart = new Dictionary<int, double>();
        var cpuAtEnd = new Dictionary<int, double>();
        double generatorAtStart = 0;
        double generatorAtEnd = 0;
        // The replicas' progress and GC totals at the window's edges (asked without waiting, answered while the load goes
        // on): blocks per window, and each replica's allocations, collections and GC pause in it.
        Task<IReadOnlyDictionary<int, QueryResultMessage>?> atStart = Task.FromResult<IReadOnlyDictionary<int, QueryResultMessage>?>(null);
        Task<IReadOnlyDictionary<int, QueryResultMessage>?> atEnd = atStart;
        var plan = new LoadPlan(options.Warmup, options.Duration)
        {
            Rate = rate,
            MeasurementStarted = () =>
            {
                generatorAtStart = SampleCpu(pids, cpuAtStart);
                atStart = ProbeEdgeAsync(clients[0], cancellationToken);
            },
            MeasurementEnded = () =>
            {
                generatorAtEnd = SampleCpu(pids, cpuAtEnd);
                atEnd = ProbeEdgeAsync(clients[0], cancellationToken);
            },
        };
        LoadResult result;
        if (operation == "mint")
        {
            var workload = new MintStreams(genesis.ChainId, [.. minters.Take(streams)]);
            result = await LoadRunner.RunAsync(clients.Take(count).ToList(), workload, plan, null, cancellationToken);
        }
        else
        {
            using var workload = new SpendStreams(genesis.ChainId, minters[0], streams, seed: (ulong)Environment.TickCount64, mintSequenceStart: (ulong)DateTime.UtcNow.Ticks);
            result = await LoadRunner.RunAsync(clients.Take(count).ToList(), workload, plan, null, cancellationToken);
        }

        double seconds = result.Measured.TotalSeconds;
        // A replica that died during the run has no end sample: it is left out rather than counted as idle.
        double[] cpu = [.. pids.Keys.Order().Where(cpuAtEnd.ContainsKey).Select(r => (cpuAtEnd[r] - cpuAtStart.GetValueOrDefault(r)) / seconds)];
        IReadOnlyDictionary<int, QueryResultMessage>? start = await atStart;
        IReadOnlyDictionary<int, QueryResultMessage>? end = await atEnd;
        long? blocks = start is { Count: > 0 } && end is { Count: > 0 } ? end.Values.Max(a => a.BlockHeight) - start.Values.Max(a => a.BlockHeight) : null;
        RuntimeCounters[] runtime = RuntimeWindows(start, end);
        var point = new BenchPoint(configuration.Key, operation, count, run, result, cpu, sweep, (generatorAtEnd - generatorAtStart) / seconds, blocks, rate, runtime);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {operation,-5} {count,3} clients ({streams,4} streams){(sweep ? " sweep" : rate is { } r ? $" paced at {r:#,0} tx/s, run {run}" : $" run {run}")}: {result.TxPerSecond,8:#,0} tx/s  " +
            $"p50 {result.P50Ms,7:0.0} ms  p99 {result.P99Ms,7:0.0} ms  p99.9 {result.P999Ms,7:0.0} ms  " +
            $"CPU/replica {(cpu.Length == 0 ? "n/a" : string.Join(' ', cpu.Select(c => c.ToString("0.00", CultureInfo.InvariantCulture))))}  " +
            $"µs/tx/replica {(point.MeanCpuMicrosPerTx is { } us ? us.ToString("0", CultureInfo.InvariantCulture) : "n/a")}  " +
            $"B/tx/replica {(point.MeanAllocatedBytesPerTx is { } bytes ? bytes.ToString("#,0", CultureInfo.InvariantCulture) : "n/a")}  " +
            $"GC pause ms/s {(point.MeanGcPauseMsPerSecond is { } pause ? pause.ToString("0.0", CultureInfo.InvariantCulture) : "n/a")}  " +
            $"gen0/1/2 {(point.MeanCollections is { } gc ? $"{gc.Gen0:0}/{gc.Gen1:0}/{gc.Gen2:0}" : "n/a")}  " +
            $"µs/tx load generator {point.LoadGeneratorMicrosPerTx:0}  tx/block {(point.TxPerBlock is { } perBlock ? perBlock.ToString("0", CultureInfo.InvariantCulture) : "n/a")}" +
            $"{(result.Errors > 0 ? $"  errors {result.Errors}" : "")}"));
        string kind = sweep ? "sweep" : rate is { } paced ? $"paced{paced:0}-run{run}" : $"run{run}";
        string requests = Directory.CreateDirectory(Path.Combine(options.OutputDirectory, "requests")).FullName;
        TailReport.WriteCsv(Path.Combine(requests, $"{configuration.Key}-{operation}-{count}-{kind}.csv"), result);
        output.WriteLine($"    {TailReport.Line(result)}");
        return point;
    }

    // The replicas' logs outlive their network (OUT/logs/CONFIG-nodeN.log): a slow run's status lines, checkpoint pauses
    // and dropped inputs are what explains its latency tail.
    private void KeepLogs(string folder, string configuration)
    {
        string logs = Directory.CreateDirectory(Path.Combine(options.OutputDirectory, "logs")).FullName;
        foreach (string home in Directory.GetDirectories(folder, "node*"))
        {
            string log = Path.Combine(home, TestnetProcesses.LogFileName);
            if (File.Exists(log))
            {
                File.Copy(log, Path.Combine(logs, $"{configuration}-{Path.GetFileName(home)}.log"), overwrite: true);
            }
        }
    }

    /// <summary>
    /// Samples the CPU seconds of each replica into <paramref name="into"/> (a replica that is gone is left out) and
    /// returns this process's: the load generator.
    /// </summary>
    private static double SampleCpu(IReadOnlyDictionary<int, int> pids, Dictionary<int, double> into)
    {
        foreach ((int replica, int pid) in pids)
        {
            if (ProcessCpu.Seconds(pid) is { } seconds)
            {
                into[replica] = seconds;
            }
        }

        return ProcessCpu.Seconds(Environment.ProcessId) ?? 0;
    }

    /// <summary>
    /// What each replica's garbage collector counted between the two edges, for the replicas that answered at both with
    /// totals that did not go back (a replica restarted in the window counts from zero again; a faulty one says anything).
    /// </summary>
    internal static RuntimeCounters[] RuntimeWindows(IReadOnlyDictionary<int, QueryResultMessage>? start, IReadOnlyDictionary<int, QueryResultMessage>? end) =>
        start is null || end is null ? []
            : [.. end.Keys.Order().Where(r => start.TryGetValue(r, out QueryResultMessage? first) && end[r].Runtime.CanFollow(first.Runtime))
                .Select(r => end[r].Runtime.Since(start[r].Runtime))];

    /// <summary>Every answering replica's progress and GC totals, or null if none answered (or the run is being cancelled).</summary>
    private static async Task<IReadOnlyDictionary<int, QueryResultMessage>?> ProbeEdgeAsync(ChainClient client, CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyDictionary<int, QueryResultMessage> answers = await LocalNetwork.ProbeAsync(client, cancellationToken);
            return answers.Count == 0 ? null : answers;
        }
        catch (Exception e) when (e is OperationCanceledException or Client.ChainClientException)
        {
            return null;
        }
    }

    /// <summary>With --network: the replicas' pids when the genesis lies in a testnet folder whose replicas run here; none otherwise.</summary>
    private IReadOnlyDictionary<int, int> ReplicasOnThisMachine()
    {
        try
        {
            return LocalNetwork.PidsIn(Path.GetDirectoryName(Path.GetFullPath(options.Network!))!);
        }
        catch (Exception e) when (e is CliException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new Dictionary<int, int>();
        }
    }
}
