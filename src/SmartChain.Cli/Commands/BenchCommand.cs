using System.CommandLine;
using System.Globalization;
using SmartChain.Cli.Bench;
using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain bench</c>: the paper's Table I and SmartChain weak/strong, on this machine.</summary>
internal static class BenchCommand
{
    // Each client is four request streams and connections to every replica: more is not a benchmark on one machine.
    private const int MaxClients = 10_000;

    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A reduced matrix (one client count, one short run each) that takes under 3 minutes." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for bench.md, bench.json and the charts (default: bench-results/<date-time>)." };
        var only = new Option<string[]>("--only")
        {
            Description = $"Run only these configurations: {string.Join(", ", BenchConfiguration.All.Select(c => c.Key))}.",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = CliParsers.SomeOf([.. BenchConfiguration.All.Select(c => c.Key)]),
        };
        var operations = new Option<string[]>("--operations")
        {
            Description = "mint, spend, or both (default).",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = CliParsers.SomeOf("mint", "spend"),
        };
        var clients = new Option<int[]>("--clients")
        {
            Description = $"Client counts to sweep (default 4 16 64; each client runs 4 streams; 1 to {MaxClients}).",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = CliParsers.WholeList(1, MaxClients),
        };
        var runs = new Option<int?>("--runs") { Description = "Measured runs at the saturating client count (default 3).", CustomParser = CliParsers.OptionalWhole(1, 1000) };
        var duration = new Option<int?>("--duration")
        {
            Description = "Seconds measured per run (default 5; warm-up 2 s before each; at most 86400).",
            CustomParser = CliParsers.OptionalWhole(1, 86400),
        };
        var replicas = new Option<int?>("--replicas")
        {
            Description = $"Replicas in each local network (default 4; {Core.Limits.MinViewMembers} to {Core.Limits.MaxViewMembers}; all share this machine's cores).",
            CustomParser = CliParsers.OptionalWhole(Core.Limits.MinViewMembers, Core.Limits.MaxViewMembers),
        };
        var paced = new Option<int[]>("--paced")
        {
            Description = "After the runs at saturation, as many runs open loop at these percentages of the saturating tx/s (e.g. 50 80): " +
                "requests at a fixed rate, latency counted from each request's slot.",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = CliParsers.WholeList(1, 200),
        };
        var rate = new Option<int?>("--rate")
        {
            Description = "Offer the measured runs open loop at this many tx/s instead of closed loop (the sweep stays closed loop), " +
                "to compare CPU per transaction of two builds at the same load.",
            CustomParser = CliParsers.OptionalWhole(1, 10_000_000),
        };
        var network = new Option<FileInfo?>("--network")
        {
            Description = "Drive an already running network (its genesis.json, with its minter wallets in wallets/ beside it) instead of local ones.",
            CustomParser = CliParsers.ExistingFile,
        };
        var command = new Command("bench",
            "Reproduce the paper's Table I on this machine and add SmartChain weak and strong: MINT and SPEND, a client sweep to find " +
            "saturation, several warmed-up runs there, tx/s median and spread, p50/p99/p99.9 latency, CPU per replica (cores and µs per " +
            "transaction, and the load generator's), how fast each fresh network warmed up, and this machine's " +
            "ceilings (Ed25519 verifications/s, fsyncs/s, the SPEND bound they imply). Writes bench.md, bench.json and PNG charts.")
        {
            quick, output, only, operations, clients, runs, duration, replicas, paced, rate, network,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter text = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            string folder = parse.GetValue(output)?.FullName
                ?? Path.GetFullPath(Path.Combine("bench-results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            BenchOptions options = parse.GetValue(quick) ? BenchOptions.Quick(folder) : new BenchOptions { OutputDirectory = folder };
            options = options with
            {
                Configurations = parse.GetValue(only) is { Length: > 0 } keys ? keys : options.Configurations,
                Operations = parse.GetValue(operations) is { Length: > 0 } ops ? ops : options.Operations,
                ClientSweep = parse.GetValue(clients) is { Length: > 0 } sweep ? sweep : options.ClientSweep,
                Runs = parse.GetValue(runs) ?? options.Runs,
                Duration = parse.GetValue(duration) is int seconds ? TimeSpan.FromSeconds(seconds) : options.Duration,
                Replicas = parse.GetValue(replicas) ?? options.Replicas,
                PacedPercents = parse.GetValue(paced) ?? [],
                Rate = parse.GetValue(rate),
                Network = parse.GetValue(network)?.FullName,
            };
            if (options.Configurations.FirstOrDefault(k => BenchConfiguration.All.All(c => c.Key != k)) is { } unknown ||
                options.Operations.FirstOrDefault(o => o is not ("mint" or "spend")) is { } unknownOp && (unknown = unknownOp) is not null)
            {
                await error.WriteLineAsync($"error: unknown configuration or operation '{unknown}'");
                return CommandRunner.Failure;
            }

            if (options.ClientSweep.Any(c => c < 1) || options.Runs < 0 || options.Duration <= TimeSpan.Zero)
            {
                await error.WriteLineAsync("error: --clients, --runs and --duration must be positive");
                return CommandRunner.Failure;
            }

            try
            {
                BenchResults results = await new BenchRunner(options, text).RunAsync(cancellationToken);
                string commandLine = "smartchain " + string.Join(' ', parse.Tokens.Select(t => t.Value));
                await File.WriteAllTextAsync(Path.Combine(folder, "bench.md"), BenchReport.Markdown(results, commandLine), CancellationToken.None);
                await File.WriteAllTextAsync(Path.Combine(folder, "bench.json"), BenchReport.Json(results), CancellationToken.None);
                IReadOnlyList<string> charts = BenchCharts.Write(results, folder);
                await text.WriteLineAsync();
                foreach (string target in BenchReport.Targets(results))
                {
                    await text.WriteLineAsync(target.Replace("**", "", StringComparison.Ordinal));
                }

                await text.WriteLineAsync($"wrote {Path.Combine(folder, "bench.md")}, bench.json and {string.Join(", ", charts.Select(Path.GetFileName))}");
                return CommandRunner.Success;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("interrupted: the replicas were stopped");
                return 130;
            }
            catch (Exception e) when (e is CliException or Client.ChainClientException or Load.LoadException or IOException or GenesisException
                                          or Core.Crypto.KeyFileException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        return command;
    }
}
