using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using SmartChain.Core.Application;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.IO;
using SmartChain.Cli.Testnet;
using SmartChain.Node;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain node</c>: run a replica.</summary>
internal static class NodeCommands
{
    public static Command Create()
    {
        var node = new Command("node", "Run a SmartChain replica.");
        var home = new Option<DirectoryInfo>("--home") { Description = "The replica's home folder (with node.json), e.g. DIR/node0.", Required = true, CustomParser = CliParsers.ReplicaHome };
        var logLevel = new Option<LogLevel>("--log-level")
        {
            Description = "Least severe log level printed: trace, debug, information, warning, error, critical or none.",
            DefaultValueFactory = _ => LogLevel.Information,
            CustomParser = CliParsers.Named<LogLevel>(),
        };
        var metricsPort = new Option<int>("--metrics-port")
        {
            Description = "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics (0: off).",
            DefaultValueFactory = _ => 0,
            CustomParser = CliParsers.Whole(0, 65535),
        };
        var ledger = new Option<string>("--ledger")
        {
            Description = "blockchain (default): SmartChain's ledger in the genesis' persistence mode. Benchmark baselines of the paper's " +
                          "Table I, which cannot restart: naive-sync (the application writes and fsyncs each batch), naive-async " +
                          "(writes without fsync), none (no ledger).",
            DefaultValueFactory = _ => "blockchain",
            CustomParser = CliParsers.OneOf("blockchain", "naive-sync", "naive-async", "none"),
        };
        var verifyInExecution = new Option<bool>("--verify-in-execution")
        {
            Description = "Benchmark baseline: verify client signatures sequentially inside execution instead of in parallel before ordering.",
        };
        var parentPid = new Option<int?>("--parent-pid")
        {
            Description = "Stop when process PID exits: the test run, demo or benchmark that owns this replica, so it never outlives it " +
                          $"(default: ${ParentWatch.EnvironmentVariable} if set).",
            CustomParser = CliParsers.OptionalWhole(1, int.MaxValue),
        };
        var http = new Option<string?>("--http")
        {
            Description = "Serve the HTTP/JSON API and the explorer on PORT (127.0.0.1) or ADDRESS:PORT (docs/api.md); off by default.",
        };
        var httpRate = new Option<int>("--http-rate")
        {
            Description = "Requests a second one source address may make to the HTTP API (burst twice as many).",
            DefaultValueFactory = _ => Api.ApiServerOptions.Default.RequestsPerSecondPerSource,
        };
        var httpRateAll = new Option<int>("--http-rate-all")
        {
            Description = "Requests a second all sources together may make to the HTTP API (event streams apart): its bound on the replica's cores.",
            DefaultValueFactory = _ => Api.ApiServerOptions.Default.RequestsPerSecondInAll,
        };
        var run = new Command("run", "Start the replica and run until SIGINT or SIGTERM; logs go to standard output.")
        {
            home, logLevel, metricsPort, ledger, verifyInExecution, http, httpRate, httpRateAll, parentPid,
        };
        run.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            try
            {
                Api.ApiServerOptions? api = null;
                if (parse.GetValue(http) is { } listen)
                {
                    int rate = parse.GetValue(httpRate);
                    api = Api.ApiServerOptions.Default with
                    {
                        Listen = Api.ApiServerOptions.ParseListen(listen, out string? bad) ?? throw new CliException($"--http: {bad}"),
                        RequestsPerSecondPerSource = rate,
                        BurstPerSource = (int)Math.Min(int.MaxValue, 2L * rate),
                        RequestsPerSecondInAll = parse.GetValue(httpRateAll),
                        Application = new Coin.Api.CoinApiEndpoints(), // the composition: SMaRtCoin's own endpoints
                    };
                    if (api.Problem is { } problem)
                    {
                        throw new CliException($"--http-rate or --http-rate-all: {problem}");
                    }
                }

                var options = new ReplicaOptions
                {
                    Ledger = parse.GetValue(ledger) switch
                    {
                        "naive-sync" => LedgerMode.NaiveSync,
                        "naive-async" => LedgerMode.NaiveAsync,
                        "none" => LedgerMode.None,
                        _ => LedgerMode.Blockchain,
                    },
                };

                // The composition: the platform runs whatever application it is given; `node run` gives it SMaRtCoin.
                var coin = new Coin.CoinExecutionOptions { VerifySignaturesInExecution = parse.GetValue(verifyInExecution) };
                ApplicationFactory application = genesis => Coin.CoinApplication.ForGenesis(genesis, coin);
                return await RunAsync(parse.GetRequiredValue(home).FullName, parse.GetValue(logLevel), parse.GetValue(metricsPort), options, application, api,
                    parse.GetValue(parentPid) ?? ParentWatch.FromEnvironment(), cancellationToken);
            }
            catch (Exception e) when (e is CliException or KeyFileException or GenesisException or InvalidDataException or IOException or InvalidOperationException
                                          or System.Net.Sockets.SocketException or Ledger.Store.LedgerCorruptException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        node.Add(run);
        NodeMembershipCommands.AddTo(node);
        return node;
    }

    private static bool IsWithin(string path, string folder)
    {
        string full = Path.GetFullPath(path).TrimEnd('/') + "/";
        return full.StartsWith(Path.GetFullPath(folder).TrimEnd('/') + "/", StringComparison.Ordinal);
    }

    private static DirectoryLock LockDataFolder(string dataDir)
    {
        Directory.CreateDirectory(dataDir);
        return DirectoryLock.Acquire(dataDir);
    }

    // A replica owned by a test run, demo or benchmark stops when its owner exits, however it exits (kill -9, a test
    // session timeout): it stops as on SIGTERM, and if that has not ended the process in 15 s, the process exits anyway.
    private static void StopWhenParentExits(int parent, TaskCompletionSource stopped) =>
        _ = ParentWatch.ExitOfAsync(parent).ContinueWith(_ =>
        {
            Console.WriteLine($"parent process {parent} exited; stopping");
            stopped.TrySetResult();
            _ = Task.Delay(TimeSpan.FromSeconds(15)).ContinueWith(_ => Environment.Exit(CommandRunner.Failure), TaskScheduler.Default);
        }, TaskScheduler.Default);

    private static async Task<int> RunAsync(string home, LogLevel level, int metricsPort, ReplicaOptions options, ApplicationFactory application,
        Api.ApiServerOptions? api, int? parentPid,
        CancellationToken cancellationToken)
    {
        // Before anything is read or written: a second replica on a live home would recover its ledger (truncating
        // what it takes for a torn tail), rewrite its vote log and delete its pid file. The holder wrote node.pid.
        using DirectoryLock homeLock = DirectoryLock.Acquire(home, () => TestnetProcesses.PidIn(home) is int holder ? $"pid {holder}" : null);
        using MeterProvider? metrics = metricsPort > 0
            ? Sdk.CreateMeterProviderBuilder()
                .AddMeter(ReplicaHost.MeterName)
                .AddMeter("System.Runtime") // .NET's own: dotnet.gc.heap.total_allocated, dotnet.gc.collections, dotnet.gc.pause.time, ...
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = "127.0.0.1";
                    o.Port = metricsPort;
                })
                .Build()
            : null;
        NodeConfig config = NodeConfig.Load(Path.Combine(home, NodeConfig.FileName));
        // Two homes may name one data folder (a copied home, a shared path): the data folder is locked too.
        using DirectoryLock? dataLock = IsWithin(config.DataDir, home) ? null : LockDataFolder(config.DataDir);
        GenesisDocument genesis = GenesisJson.Load(config.Genesis);
        using Ed25519KeyPair key = KeyFile.Load(config.KeyFile);
        using ILoggerFactory loggers = LoggerFactory.Create(b => b.SetMinimumLevel(level).AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        }));
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
        using CancellationTokenRegistration onCancel = cancellationToken.Register(() => stopped.TrySetResult());
        if (parentPid is int parent)
        {
            StopWhenParentExits(parent, stopped);
        }

        // The pid file is written by the replica itself, so it is right however the process was started.
        string pidFile = Path.Combine(home, TestnetProcesses.PidFileName);
        await File.WriteAllTextAsync(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None);
        try
        {
            await using ReplicaHost host = ReplicaHost.Start(config, genesis, key, application, loggers, options);
            await using Node.Api.ReplicaApi? nodeApi = api is null ? null : Node.Api.ReplicaApi.Start(host, loggers);
            await using Api.ApiServer? server = api is null ? null : await Api.ApiServer.StartAsync(nodeApi!, api, loggers, cancellationToken);
            if (server is not null)
            {
                await Console.Out.WriteLineAsync($"HTTP API and explorer on {server.Address} (OpenAPI document: {server.Address}openapi/v1.json)");
            }

            Task finished = await Task.WhenAny(stopped.Task, host.Completion, host.Removed);
            if (finished == host.Completion)
            {
                // The replica stopped itself (its log says why); the process must not outlive it.
                return CommandRunner.Failure;
            }

            // Removed from the view (it left or was excluded), its keys erased: nothing more to do here.
            return CommandRunner.Success;
        }
        finally
        {
            File.Delete(pidFile);
        }
    }
}
