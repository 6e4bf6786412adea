using System.Globalization;
using SmartChain.Cli.Netns;
using SmartChain.Cli.Testnet;
using SmartChain.Core.Genesis;
using SmartChain.Nemesis.Checking;
using SmartChain.Nemesis.Faults;
using SmartChain.Nemesis.History;
using SmartChain.Nemesis.Reporting;
using SmartChain.Testbed;

namespace SmartChain.Cli.Nemesis;

/// <summary>
/// <c>nemesis run</c>: a namespace testnet at a network profile, clients in the client namespace recording every
/// operation, a warm-up without faults (the baseline), the seeded fault schedule, the heal, a recovery period; then the
/// replicas are stopped, the checker judges the history against every ledger, and the plot is drawn. The testbed is
/// removed at the end whatever happened.
/// </summary>
internal static class NemesisRunner
{
    public const string HistoryFile = "history.jsonl";
    public const string TimelineFile = "timeline.jsonl";
    public const string StatusFile = "status.json";
    public const string CheckFile = "check.txt";
    public const string PlotFile = "nemesis.png";

    /// <summary>Runs the nemesis; returns true if the checker found the run clean.</summary>
    public static async Task<bool> RunAsync(NemesisRunOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        string outDir = Path.GetFullPath(options.Out);
        if (Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any())
        {
            throw new CliException($"{outDir} is not empty; choose another --out");
        }

        if (options.Replicas < 5)
        {
            throw new CliException($"--replicas {options.Replicas}: the run needs at least 5, since one replica leaves during it");
        }

        TimeSpan faulting = options.Duration - options.Warmup - options.Cooldown;
        if (faulting < TimeSpan.FromMinutes(1))
        {
            throw new CliException($"--duration {options.Duration}: too short for a {options.Warmup.TotalSeconds:0} s warm-up, faults and a {options.Cooldown.TotalSeconds:0} s recovery");
        }

        Directory.CreateDirectory(outDir);
        string netDir = Path.Combine(outDir, "net");
        NamespaceTestbed bed = await NetnsTestnet.UpAsync(new TestbedOptions
        {
            Folder = netDir,
            Replicas = options.Replicas,
            Profile = options.Profile,
            ClientProfile = options.Profile,
            Seed = options.Seed,
            SmartChainCommand = NetnsTestnet.SelfCommand(),
        }, PersistenceMode.Strong, minters: 1, nodeArgs: [], log, cancellationToken);
        try
        {
            return await RunOnAsync(bed, options, outDir, log, cancellationToken);
        }
        finally
        {
            IReadOnlyList<string> left = bed.Down(log);
            log.WriteLine(left.Count == 0 ? "testbed removed: no namespace, link or process left" : $"testbed left behind: {string.Join("; ", left)}");
        }
    }

    private static async Task<bool> RunOnAsync(NamespaceTestbed bed, NemesisRunOptions options, string outDir, TextWriter log, CancellationToken cancellationToken)
    {
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - t0;
        string history = Path.Combine(outDir, HistoryFile);
        string status = Path.Combine(outDir, StatusFile);
        string loadLog = Path.Combine(outDir, "load.log");
        using var timeline = new FaultTimeline(Path.Combine(outDir, TimelineFile));
        bed.Start(bed.Clients,
        [
            .. bed.SmartChainCommand, "nemesis", "load", "--genesis", NetnsTestnet.GenesisPath(bed.Folder),
            "--minter", Path.Combine(bed.Folder, TestnetInitializer.WalletsFolder, TestnetInitializer.MinterKeyFile(0)),
            "--out", history, "--status", status, "--seed", options.Seed.ToString(CultureInfo.InvariantCulture),
            "--spenders", options.Spenders.ToString(CultureInfo.InvariantCulture),
            "--t0", t0.ToString(CultureInfo.InvariantCulture),
            "--until", (t0 + (long)options.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
        ], loadLog, "load");
        TestbedProcess load = bed.Processes.Last(p => p.Role == "load");
        await WaitForAsync(() => File.Exists(loadLog) && File.ReadAllText(loadLog).Contains("load running", StringComparison.Ordinal), TimeSpan.FromSeconds(120),
            () => RunProcess.IsRunning(load), $"the clients did not start (see {loadLog})");
        timeline.Add(new FaultEvent(Now(), FaultEvent.Note, "load", "clients running"));
        log.WriteLine($"clients running (log {loadLog}); {options.Warmup.TotalSeconds:0} s without faults");
        await Task.Delay(options.Warmup, cancellationToken);

        var scheduler = new FaultScheduler(bed, timeline, Now, options.Seed, options.Profile, status, log);
        try
        {
            await scheduler.RunAsync((options.Duration - options.Cooldown).TotalMilliseconds, cancellationToken);
        }
        finally
        {
            await scheduler.HealAllAsync(CancellationToken.None);
        }

        string[] missing = [.. FaultKind.Rotating.Append(FaultKind.Leave).Where(k => !scheduler.Ran.Contains(k))];
        log.WriteLine(missing.Length == 0 ? "every fault class ran" : $"fault classes that did not run: {string.Join(", ", missing)}");
        await WaitForAsync(() => !RunProcess.IsRunning(load), options.Cooldown + TimeSpan.FromSeconds(60), () => true, "the clients did not stop at the end of the run");

        foreach (TestbedHost host in bed.Replicas)
        {
            bed.SignalReplica(host.ReplicaId!.Value, TestbedSignals.Terminate);
        }

        await WaitForAsync(() => bed.Replicas.All(h => bed.ReplicaPid(h.ReplicaId!.Value) is null), TimeSpan.FromSeconds(30), () => true, "replicas did not stop");
        IReadOnlyList<HistoryRecord> records = HistoryJson.Read(history);
        IReadOnlyList<LedgerFacts> ledgers = RunLedgers.Scan(RunLedgers.HomesOf(bed.Folder), log);
        CheckReport report = HistoryChecker.Check(records, ledgers, timeline.Events, new RecoveryOptions { Bound = options.RecoveryBound });
        if (missing.Length > 0)
        {
            report.Violations.Add($"fault classes that did not run: {string.Join(", ", missing)}");
        }

        using (var checkFile = new StreamWriter(Path.Combine(outDir, CheckFile)))
        {
            report.WriteTo(checkFile);
        }

        report.WriteTo(log);
        NemesisPlot.Write(records, timeline.Events, Path.Combine(outDir, PlotFile),
            $"nemesis: {options.Replicas} replicas, {options.Profile.Name} profile, seed {options.Seed}, {options.Duration.TotalMinutes:0.#} min");
        log.WriteLine($"history {history}, timeline {Path.Combine(outDir, TimelineFile)}, plot {Path.Combine(outDir, PlotFile)}");
        return report.Clean;
    }

    private static async Task WaitForAsync(Func<bool> done, TimeSpan limit, Func<bool> stillHopeful, string failure)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > limit || !stillHopeful())
            {
                throw new CliException(failure);
            }

            await Task.Delay(200);
        }
    }
}
