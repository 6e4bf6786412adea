using System.CommandLine;
using SmartChain.Cli.Demo;
using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain demo</c>: the main job, end to end, in one command.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var defaults = new DemoOptions();
        var replicas = new Option<int>("--replicas")
        {
            Description = $"Replicas in the network ({Core.Limits.MinViewMembers} to {Core.Limits.MaxViewMembers}).",
            DefaultValueFactory = _ => defaults.Replicas,
            CustomParser = CliParsers.Whole(Core.Limits.MinViewMembers, Core.Limits.MaxViewMembers),
        };
        var duration = new Option<int>("--duration")
        {
            Description = $"Seconds of load (1 to {MaxSeconds}).",
            DefaultValueFactory = _ => (int)defaults.Duration.TotalSeconds,
            CustomParser = CliParsers.Whole(1, MaxSeconds),
        };
        var persistence = new Option<string>("--persistence")
        {
            Description = "strong (a certificate before each reply) or weak.",
            DefaultValueFactory = _ => "strong",
            CustomParser = CliParsers.OneOf("strong", "weak"),
        };
        var clients = new Option<int>("--clients")
        {
            Description = $"Concurrent clients (each runs 4 SPEND chains; 1 to {MaxClients}).",
            DefaultValueFactory = _ => defaults.Clients,
            CustomParser = CliParsers.Whole(1, MaxClients),
        };
        var dir = new Option<DirectoryInfo?>("--dir") { Description = "Create the network here and keep it afterwards (default: a fresh temporary folder, removed at the end)." };
        var checkpointPeriod = new Option<long>("--checkpoint-period")
        {
            Description = "Blocks between checkpoint blocks (snapshots).",
            DefaultValueFactory = _ => defaults.CheckpointPeriod,
            CustomParser = CliParsers.Whole(long.MinValue, long.MaxValue),
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object at the end instead of progress and a table." };
        var killLeaderAt = new Option<string?>("--kill-leader-at")
        {
            Description = "Kill the leader's process (SIGKILL) this far into the load, e.g. 10s, to watch the others change leader; it is restarted 3 s later and catches up.",
            CustomParser = CliParsers.Seconds,
        };
        var growTo = new Option<int?>("--grow-to")
        {
            Description = "Grow the network to this many replicas by joins while the load runs (from a quarter of it on): each new replica is endorsed " +
                          "by a member, admitted by the members' votes and catches up by state transfer.",
            CustomParser = CliParsers.OptionalWhole(int.MinValue, int.MaxValue),
        };
        var command = new Command("demo",
            "Run a local network of replica processes doing real SMaRtCoin work: MINT to many wallets, then SPEND chains " +
            "between them from concurrent clients, with live progress; then verify every replica's ledger on its own and " +
            "show them side by side. Exit code 0 only if every ledger verified and all heads agree. Ctrl-C stops everything.")
        {
            replicas, duration, persistence, clients, dir, json, killLeaderAt, checkpointPeriod, growTo,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            var options = new DemoOptions
            {
                Replicas = parse.GetValue(replicas),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                Persistence = parse.GetValue(persistence) == "weak" ? PersistenceMode.Weak : PersistenceMode.Strong,
                Clients = parse.GetValue(clients),
                Directory = parse.GetValue(dir)?.FullName,
                Json = parse.GetValue(json),
                CheckpointPeriod = parse.GetValue(checkpointPeriod),
                KillLeaderAt = parse.GetValue(killLeaderAt) is { } at ? CliParsers.SecondsOf(at) : null,
                GrowTo = parse.GetValue(growTo),
            };
            if (options.GrowTo is { } grow && (grow <= options.Replicas || grow > Core.Limits.MaxViewMembers))
            {
                await error.WriteLineAsync($"error: --grow-to {grow}: give more replicas than the {options.Replicas} the network starts with (at most {Core.Limits.MaxViewMembers})");
                return CommandRunner.Failure;
            }

            if (options.CheckpointPeriod < 2)
            {
                await error.WriteLineAsync($"error: --checkpoint-period {options.CheckpointPeriod}: must be at least 2 blocks");
                return CommandRunner.Failure;
            }

            if (options.KillLeaderAt is { } kill && (kill <= TimeSpan.Zero || kill >= options.Duration))
            {
                await error.WriteLineAsync($"error: --kill-leader-at {parse.GetValue(killLeaderAt)}: give seconds within the load's {options.Duration.TotalSeconds:0} s, like 10s");
                return CommandRunner.Failure;
            }

            if (options.Duration <= TimeSpan.Zero || options.Clients < 1)
            {
                await error.WriteLineAsync("error: --duration and --clients must be at least 1");
                return CommandRunner.Failure;
            }

            var view = new DemoView(output, options.Json);
            try
            {
                DemoOutcome outcome = await DemoRunner.RunAsync(options, view, cancellationToken);
                view.Result(outcome);
                return outcome.Succeeded ? CommandRunner.Success : CommandRunner.Failure;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync("interrupted: the replicas were stopped");
                return 130;
            }
            catch (Exception e) when (e is CliException or Client.ChainClientException or Load.LoadException or IOException)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        return command;
    }

    // A day of load is far beyond a demo; the bound keeps TimeSpan arithmetic far from overflow.
    private const int MaxSeconds = 86400;

    // Each client is four SPEND streams and connections to every replica: more than this is not a demo on one machine.
    private const int MaxClients = 10_000;
}
