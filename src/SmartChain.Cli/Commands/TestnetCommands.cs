using System.CommandLine;
using System.Globalization;
using SmartChain.Cli.Testnet;
using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain testnet</c>: create local networks.</summary>
internal static class TestnetCommands
{
    public static Command Create()
    {
        var testnet = new Command("testnet", "Create a local SmartChain network in a folder.");
        testnet.Add(CreateInit());
        testnet.Add(CreateStart());
        testnet.Add(CreateStop());
        testnet.Add(CreateJoin());
        return testnet;
    }

    private static Command CreateInit()
    {
        var defaults = new TestnetOptions { Directory = "" };
        var dir = new Option<DirectoryInfo>("--dir", "-d")
        {
            Description = "Folder to create the network in (created if missing; must be empty unless --force).",
            Required = true,
        };
        var replicas = new Option<int>("--replicas", "-n")
        {
            Description = "Number of replicas (n >= 4, tolerating f = (n-1)/3 Byzantine ones).",
            DefaultValueFactory = _ => defaults.Replicas,
            CustomParser = CliParsers.Whole(int.MinValue, int.MaxValue),
        };
        var persistence = new Option<string>("--persistence")
        {
            Description = "strong: reply once a block and its certificate are on disk (receipts); weak: reply once the block is on disk.",
            DefaultValueFactory = _ => "strong",
        };
        persistence.AcceptOnlyFromAmong("strong", "weak");
        var basePort = new Option<int>("--base-port")
        {
            Description = "First TCP port; replica i listens on base+2i (replicas) and base+2i+1 (clients).",
            DefaultValueFactory = _ => defaults.BasePort,
            CustomParser = CliParsers.Whole(int.MinValue, int.MaxValue),
        };
        var host = new Option<string>("--host")
        {
            Description = "Address every replica listens on and is reached at.",
            DefaultValueFactory = _ => defaults.Host,
            CustomParser = CliParsers.Host,
        };
        var hosts = new Option<string[]>("--hosts")
        {
            Description = "One address per replica, comma-separated, replica 0's first, for replicas on their own machines (instead of --host); " +
                          "docs/operations.md, \"Run a replica on its own machine\".",
            CustomParser = CliParsers.HostList,
        };
        var minters = new Option<int>("--minters")
        {
            Description = "Number of SMaRtCoin minter wallets to create in wallets/ and authorize in genesis.",
            DefaultValueFactory = _ => defaults.Minters,
            CustomParser = CliParsers.Whole(int.MinValue, int.MaxValue),
        };
        var checkpointPeriod = new Option<long>("--checkpoint-period")
        {
            Description = "Blocks between checkpoints (snapshots linked to the chain).",
            DefaultValueFactory = _ => defaults.CheckpointPeriod,
            CustomParser = CliParsers.Whole(long.MinValue, long.MaxValue),
        };
        var chainId = new Option<string>("--chain-id")
        {
            Description = "Name of the network, signed into every request (a-z, 0-9, '.', '_', '-').",
            DefaultValueFactory = _ => defaults.ChainId,
        };
        var force = new Option<bool>("--force")
        {
            Description = "Replace an existing testnet in --dir (genesis.json, node*/ and wallets/; other files are kept).",
        };

        var command = new Command("init", "Create genesis.json, a home folder per replica (keys, node.json, data/) and minter wallets.")
        {
            dir, replicas, persistence, basePort, host, hosts, minters, checkpointPeriod, chainId, force,
        };
        CommandRunner.SetAction(command, (parse, output) =>
        {
            TestnetResult result = TestnetInitializer.Initialize(new TestnetOptions
            {
                Directory = parse.GetRequiredValue(dir).FullName,
                Replicas = parse.GetValue(replicas),
                Persistence = parse.GetValue(persistence) == "weak" ? PersistenceMode.Weak : PersistenceMode.Strong,
                BasePort = parse.GetValue(basePort),
                Host = parse.GetValue(host) ?? defaults.Host,
                Hosts = parse.GetValue(hosts) ?? [],
                Minters = parse.GetValue(minters),
                CheckpointPeriod = parse.GetValue(checkpointPeriod),
                ChainId = parse.GetValue(chainId) ?? defaults.ChainId,
                Force = parse.GetValue(force),
            });
            Print(result, output);
            return CommandRunner.Success;
        });
        return command;
    }

    private static Command CreateStart()
    {
        var dir = new Option<DirectoryInfo>("--dir", "-d") { Description = "The testnet folder made by 'testnet init'.", Required = true, CustomParser = CliParsers.TestnetFolder };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for the replicas to connect (1 to 86400).",
            DefaultValueFactory = _ => 60,
            CustomParser = CliParsers.Whole(1, 86400),
        };
        var node = NodeOption("Start only this replica (say, one that was stopped); the others must be running for it to connect.");
        var parentPid = new Option<int?>("--parent-pid")
        {
            Description = "The replicas stop when process PID exits (a script or test run that owns them); passed to 'node run --parent-pid'.",
            CustomParser = CliParsers.OptionalWhole(1, int.MaxValue),
        };
        var http = new Option<int?>("--http")
        {
            Description = "Serve the HTTP API and explorer of replica I on http://127.0.0.1:(PORT+I)/ (docs/api.md); off by default.",
        };
        var httpRate = new Option<int?>("--http-rate") { Description = "With --http: requests a second one source address may make to each API." };
        var httpRateAll = new Option<int?>("--http-rate-all") { Description = "With --http: requests a second all sources together may make to each API." };
        var command = new Command("start", "Start every replica of the testnet in the background (logs in node*/node.log) and wait until they are connected.")
        {
            dir, timeout, node, http, httpRate, httpRateAll, parentPid,
        };
        RequireNodeIn(command, dir, node);
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            try
            {
                int? httpBase = parse.GetValue(http);
                if (httpBase is < 1 or > 65000)
                {
                    throw new CliException($"--http: {httpBase} is not a port from 1 to 65000");
                }

                IReadOnlyList<string> started = await TestnetProcesses.StartAllAsync(parse.GetRequiredValue(dir).FullName, output,
                    TimeSpan.FromSeconds(parse.GetValue(timeout)), ExtraArgs(parse.GetValue(httpRate), parse.GetValue(httpRateAll), parse.GetValue(parentPid)), parse.GetValue(node),
                    homeArgs: httpBase is int port ? home => ["--http", $"127.0.0.1:{port + ReplicaIdOf(home)}"] : null);
                if (httpBase is int first)
                {
                    foreach (string home in started)
                    {
                        await output.WriteLineAsync($"{Path.GetFileName(home)}: HTTP API and explorer on http://127.0.0.1:{first + ReplicaIdOf(home)}/");
                    }
                }

                return CommandRunner.Success;
            }
            catch (Exception e) when (e is CliException or GenesisException or IOException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        return command;
    }

    // Arguments every replica of the testnet gets: the API's rate and the owner whose exit stops them.
    private static List<string>? ExtraArgs(int? httpRate, int? httpRateAll, int? parentPid)
    {
        var args = new List<string>();
        if (httpRate is int rate)
        {
            args.AddRange(["--http-rate", rate.ToString(CultureInfo.InvariantCulture)]);
        }

        if (httpRateAll is int all)
        {
            args.AddRange(["--http-rate-all", all.ToString(CultureInfo.InvariantCulture)]);
        }

        if (parentPid is int owner)
        {
            args.AddRange(["--parent-pid", owner.ToString(CultureInfo.InvariantCulture)]);
        }

        return args.Count == 0 ? null : args;
    }

    private static int ReplicaIdOf(string home) => Core.Configuration.NodeConfig.Load(Path.Combine(home, Core.Configuration.NodeConfig.FileName)).ReplicaId;

    private static Command CreateStop()
    {
        var dir = new Option<DirectoryInfo>("--dir", "-d") { Description = "The testnet folder.", Required = true, CustomParser = CliParsers.TestnetFolder };
        var node = NodeOption("Stop only this replica.");
        var command = new Command("stop", "Stop every running replica of the testnet (SIGTERM, then SIGKILL after 15 s).") { dir, node };
        RequireNodeIn(command, dir, node);
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            try
            {
                int stopped = await TestnetProcesses.StopAllAsync(parse.GetRequiredValue(dir).FullName, output, parse.GetValue(node));
                output.WriteLine(stopped == 0 ? "no replica was running" : $"{stopped} replica(s) stopped");
                return CommandRunner.Success;
            }
            catch (CliException e)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        return command;
    }

    private static Command CreateJoin()
    {
        var dir = new Option<DirectoryInfo>("--dir", "-d") { Description = "The testnet folder (its replicas running).", Required = true, CustomParser = CliParsers.TestnetFolder };
        var id = new Option<int?>("--id") { Description = "The new replica's id (default: one above the highest in the folder).", CustomParser = CliParsers.OptionalWhole(0, int.MaxValue) };
        var noStart = new Option<bool>("--no-start") { Description = "Only join; start it later with 'testnet start --node ID'." };
        var command = new Command("join", "Add a replica to a running testnet: a new home beside the others (free ports, its own keys), endorsed by a member, " +
                                          "admitted by the members' votes (JOIN, join certificate), then started; it catches up by state transfer.")
        {
            dir, id, noStart,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            try
            {
                await TestnetMembership.JoinAsync(parse.GetRequiredValue(dir).FullName, parse.GetValue(id), !parse.GetValue(noStart), [], output, cancellationToken);
                return CommandRunner.Success;
            }
            catch (Exception e) when (e is CliException or GenesisException or IOException or Client.ChainClientException or Core.Crypto.KeyFileException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        return command;
    }

    private static Option<int?> NodeOption(string description) =>
        new("--node") { Description = description + " The replica id, e.g. 3 for node3/.", CustomParser = CliParsers.OptionalWhole(0, int.MaxValue) };

    // Checked with the command line, so a wrong id is refused before any replica is started or stopped.
    private static void RequireNodeIn(Command command, Option<DirectoryInfo> dir, Option<int?> node) =>
        command.Validators.Add(result =>
        {
            // The tokens, not the values: a value that failed to parse is already reported and would throw here.
            if (result.GetResult(dir)?.Tokens is [{ } folderToken] && result.GetResult(node)?.Tokens is [{ } idToken] &&
                int.TryParse(idToken.Value, System.Globalization.CultureInfo.InvariantCulture, out int id) && id >= 0 &&
                Path.GetFullPath(folderToken.Value) is { } folder && File.Exists(Path.Combine(folder, TestnetInitializer.GenesisFileName)) &&
                !File.Exists(Path.Combine(folder, TestnetInitializer.NodeFolder(id), Core.Configuration.NodeConfig.FileName)))
            {
                result.AddError($"--node {id}: {folder} has no replica {id} (no {TestnetInitializer.NodeFolder(id)}/{Core.Configuration.NodeConfig.FileName})");
            }
        });

    private static void Print(TestnetResult result, TextWriter output)
    {
        GenesisDocument g = result.Genesis;
        output.WriteLine($"Created testnet in {result.Directory}");
        output.WriteLine($"  chain id      {g.ChainId}");
        output.WriteLine($"  genesis       {result.GenesisPath}");
        output.WriteLine($"  genesis hash  {g.Hash}");
        output.WriteLine($"  persistence   {g.Persistence.ToString().ToLowerInvariant()}");
        output.WriteLine($"  view 0        n={g.InitialView.N} f={g.InitialView.F} Q={g.InitialView.Q}");
        output.WriteLine();
        output.WriteLine("  replica  home                 replicas             clients              public key");
        foreach (var m in g.InitialView.Members)
        {
            output.WriteLine($"  {m.Id,-8} {TestnetInitializer.NodeFolder(m.Id) + "/",-20} {m.ReplicaEndpoint,-20} {m.ClientEndpoint,-20} {m.PublicKey}");
        }

        output.WriteLine();
        for (int k = 0; k < result.MinterKeyFiles.Count; k++)
        {
            output.WriteLine($"  minter wallet {Path.GetRelativePath(result.Directory, result.MinterKeyFiles[k])}  {g.Minters[k]}");
        }
    }
}
