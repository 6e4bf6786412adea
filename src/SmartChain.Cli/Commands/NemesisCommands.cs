using System.CommandLine;
using System.Runtime.InteropServices;
using SmartChain.Cli.Nemesis;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Nemesis.History;
using SmartChain.Nemesis.Load;
using SmartChain.Testbed;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain nemesis</c>: a Jepsen-style fault run on a namespace testnet, and its clients.</summary>
internal static class NemesisCommands
{
    public static Command Create()
    {
        var nemesis = new Command("nemesis", "Run clients under a seeded schedule of network and process faults on a namespace testnet, then check the history against every ledger (root; see docs/faults.md).");
        nemesis.Add(CreateRun());
        nemesis.Add(CreateLoad());
        return nemesis;
    }

    private static Command CreateRun()
    {
        var duration = new Option<string>("--duration") { Description = "Length of the run, load included (e.g. 90s, 10m).", DefaultValueFactory = _ => "10m" };
        var profile = new Option<string>("--profile") { Description = "Network profile of every link: lan, region, continent, world, lossy.", DefaultValueFactory = _ => "continent" };
        var seed = new Option<int>("--seed") { Description = "Seeds the fault schedule, the clients' wallets and choices, and the bridge's random draws.", DefaultValueFactory = _ => 7 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Empty folder for the testnet, history.jsonl, timeline.jsonl, check.txt and nemesis.png.", Required = true };
        var replicas = new Option<int>("--replicas") { Description = "Replicas at the start (at least 5: one leaves during the run).", DefaultValueFactory = _ => 5 };
        var spenders = new Option<int>("--spenders") { Description = "SPEND streams of the clients.", DefaultValueFactory = _ => 16 };
        var warmup = new Option<string>("--warmup") { Description = "Load without faults before the first fault (the baseline).", DefaultValueFactory = _ => "40s" };
        var cooldown = new Option<string>("--cooldown") { Description = "Load after the heal (the recovery is measured in it).", DefaultValueFactory = _ => "75s" };
        var bound = new Option<double>("--recovery-bound") { Description = "Seconds after the heal within which the ok rate must be back to 80% of the baseline.", DefaultValueFactory = _ => 60 };
        var command = new Command("run",
            "Start a namespace testnet, run SPEND and MINT clients, inject faults (leader isolated, minority/majority and bridge partitions, kill -9 and " +
            "restart, SIGSTOP/SIGCONT, packet loss, delay spikes, a wiped data folder, a replica leaving), heal, and check. Exit code 1 if the checker " +
            "finds a violation.")
        {
            duration, profile, seed, output, replicas, spenders, warmup, cooldown, bound,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter log = parse.InvocationConfiguration.Output;
            try
            {
                bool clean = await NemesisRunner.RunAsync(new NemesisRunOptions
                {
                    Out = parse.GetRequiredValue(output).FullName,
                    Duration = CheckCommand.ParseDuration(parse.GetValue(duration)!),
                    Profile = LinkProfile.Parse(parse.GetValue(profile)!),
                    Seed = parse.GetValue(seed),
                    Replicas = parse.GetValue(replicas),
                    Spenders = parse.GetValue(spenders),
                    Warmup = CheckCommand.ParseDuration(parse.GetValue(warmup)!),
                    Cooldown = CheckCommand.ParseDuration(parse.GetValue(cooldown)!),
                    RecoveryBound = TimeSpan.FromSeconds(parse.GetValue(bound)),
                }, log, cancellationToken);
                return clean ? CommandRunner.Success : CommandRunner.Failure;
            }
            catch (Exception e) when (e is CliException or TestbedException or IOException or InvalidDataException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        return command;
    }

    private static Command CreateLoad()
    {
        var genesis = new Option<FileInfo>("--genesis") { Description = "The network's genesis.json.", Required = true };
        var minter = new Option<FileInfo>("--minter") { Description = "The minter's key file.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The history file to write (JSON lines).", Required = true };
        var status = new Option<FileInfo?>("--status") { Description = "A file to write the replicas' status to every second." };
        var seed = new Option<int>("--seed") { Description = "Seeds the wallets and the clients' choices.", DefaultValueFactory = _ => 7 };
        var spenders = new Option<int>("--spenders") { Description = "SPEND streams.", DefaultValueFactory = _ => 16 };
        var t0 = new Option<long>("--t0") { Description = "The run's start (Unix ms): history times count from it.", DefaultValueFactory = _ => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        var until = new Option<long>("--until") { Description = "When to stop (Unix ms); SIGTERM stops too.", Required = true };
        var command = new Command("load", "The clients of a nemesis run (started by 'nemesis run' in the client namespace): record every operation in a history file.")
        {
            genesis, minter, output, status, seed, spenders, t0, until,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter log = parse.InvocationConfiguration.Output;
            try
            {
                long start = parse.GetValue(t0);
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stop.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(0, parse.GetValue(until) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
                using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
                using Ed25519KeyPair minterKey = KeyFile.Load(parse.GetRequiredValue(minter).FullName);
                using var history = new HistoryWriter(parse.GetRequiredValue(output).FullName, () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - start);
                var load = new NemesisLoad(new LoadOptions
                {
                    Genesis = GenesisJson.Load(parse.GetRequiredValue(genesis).FullName),
                    Minter = minterKey,
                    SpendStreams = parse.GetValue(spenders),
                    Seed = (ulong)parse.GetValue(seed),
                }, history, parse.GetValue(status)?.FullName);
                await load.RunAsync(log, stop.Token);
                log.WriteLine($"load stopped: {history.Records.Count} history records");
                return CommandRunner.Success;
            }
            catch (Exception e) when (e is GenesisException or KeyFileException or IOException or Client.ChainClientException or InvalidOperationException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        return command;
    }
}
