using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SmartChain.Cli.Netns;
using SmartChain.Core.Genesis;
using SmartChain.Testbed;

namespace SmartChain.Cli.Commands;

/// <summary>
/// <c>smartchain netns</c>: a testnet whose replicas each run in a Linux network namespace of their own, behind a bridge
/// that gives each link a latency/loss profile and can cut links (needs root and iproute2).
/// </summary>
internal static class NetnsCommands
{
    public static Command Create()
    {
        var command = new Command("netns",
            "A testnet on separate hosts on this machine: one network namespace per replica and one for clients, joined to a bridge in a namespace " +
            "of its own that shapes each link (profiles lan, region, continent, world, lossy) and cuts links; nothing attached to or routed out of " +
            "the machine's own network. Needs root and iproute2.")
        {
            Up(), Down(), Status(), Shape(), Partition(), Heal(), Exec(), NetnsBenchCommand.Create(),
        };
        foreach (Command hostCommand in NetnsHostCommands.Create())
        {
            command.Subcommands.Add(hostCommand);
        }

        return command;
    }

    private static Option<DirectoryInfo> DirOption() => new("--dir") { Description = "The testnet folder (holds netns.json, genesis.json, node*/, wallets/).", Required = true };

    private static Command Up()
    {
        var dir = DirOption();
        var replicas = new Option<int>("--replicas") { Description = "Replicas, each in its own namespace (default 4).", DefaultValueFactory = _ => 4 };
        var profile = new Option<string>("--profile") { Description = "Profile of every replica link: lan, region, continent, world, lossy (default lan).", DefaultValueFactory = _ => "lan" };
        var far = new Option<int[]>("--far") { Description = "Replica ids whose link gets --far-profile instead (one replica far from the rest).", AllowMultipleArgumentsPerToken = true };
        var farProfile = new Option<string>("--far-profile") { Description = "Profile of the --far replicas' links (default world).", DefaultValueFactory = _ => "world" };
        var clientProfile = new Option<string>("--client-profile") { Description = "Profile of the client namespace's link (default lan).", DefaultValueFactory = _ => "lan" };
        var persistence = new Option<PersistenceMode>("--persistence") { Description = "Strong (default) or Weak.", DefaultValueFactory = _ => PersistenceMode.Strong };
        var minters = new Option<int>("--minters") { Description = "Minter wallets in wallets/ (default 1).", DefaultValueFactory = _ => 1 };
        var subnet = new Option<string?>("--subnet") { Description = "The private /24 for the hosts (default: a free 10.x.y.0/24 at random)." };
        var seed = new Option<long>("--seed") { Description = "Seed of the bridge's loss/duplication/reorder/jitter draws (default 1).", DefaultValueFactory = _ => 1 };
        var command = new Command("up",
            "Create the namespaces, links and bridge (refusing unless isolated from the machine's network), a testnet whose genesis lists each " +
            "replica's own address, start each replica in its namespace and wait until all are connected. 'netns down' removes it all.")
        {
            dir, replicas, profile, far, farProfile, clientProfile, persistence, minters, subnet, seed,
        };
        command.SetAction(async (parse, cancellationToken) => await NetnsHostCommands.Guard(parse, async output =>
        {
            var options = new TestbedOptions
            {
                Folder = parse.GetValue(dir)!.FullName,
                Replicas = parse.GetValue(replicas),
                Profile = LinkProfile.Parse(parse.GetValue(profile)!),
                Far = parse.GetValue(far) ?? [],
                FarProfile = LinkProfile.Parse(parse.GetValue(farProfile)!),
                ClientProfile = LinkProfile.Parse(parse.GetValue(clientProfile)!),
                Subnet = parse.GetValue(subnet),
                Seed = parse.GetValue(seed),
                SmartChainCommand = NetnsTestnet.SelfCommand(),
            };
            NamespaceTestbed testbed = await NetnsTestnet.UpAsync(options, parse.GetValue(persistence), parse.GetValue(minters), [], output, cancellationToken);
            await output.WriteLineAsync(testbed.Describe());
            await output.WriteLineAsync($"clients: smartchain netns exec --dir {testbed.Folder} -- smartchain coin … --network {NetnsTestnet.GenesisPath(testbed.Folder)}");
        }));
        return command;
    }

    private static Command Down()
    {
        var dir = DirOption();
        var command = new Command("down",
            "Stop every process the testbed started (by pid, only while the pid is still that process), kill anything left in its namespaces, " +
            "remove its namespaces and with them every link; exits 1 if anything is left behind. Safe after a failed 'up' and to run twice.")
        {
            dir,
        };
        command.SetAction(async (parse, cancellationToken) => await NetnsHostCommands.Guard(parse, async output =>
        {
            IReadOnlyList<string> left = NamespaceTestbed.Down(parse.GetValue(dir)!.FullName, output);
            if (left.Count > 0)
            {
                throw new CliException($"left behind: {string.Join("; ", left)}");
            }

            await Task.CompletedTask;
        }));
        return command;
    }

    private static Command Status()
    {
        var dir = DirOption();
        var command = new Command("status", "Hosts, addresses, link profiles, cuts, processes, and the isolation check.") { dir };
        command.SetAction(async (parse, cancellationToken) => await NetnsHostCommands.Guard(parse, async output =>
        {
            NamespaceTestbed testbed = NamespaceTestbed.Open(parse.GetValue(dir)!.FullName);
            await output.WriteLineAsync(testbed.Describe());
            IReadOnlyList<string> problems = testbed.CheckIsolation();
            await output.WriteLineAsync(problems.Count == 0 ? "isolated: yes" : $"isolated: NO: {string.Join("; ", problems)}");
        }));
        return command;
    }

    private static Command Shape()
    {
        var dir = DirOption();
        var host = new Option<string[]>("--host") { Description = "Hosts whose link to set: r0, r1, …, c (default: every replica).", AllowMultipleArgumentsPerToken = true };
        var profile = new Option<string>("--profile") { Description = "lan, region, continent, world or lossy.", Required = true };
        var command = new Command("shape", "Change link profiles while the testnet runs.") { dir, host, profile };
        command.SetAction(async (parse, cancellationToken) => await NetnsHostCommands.Guard(parse, async output =>
        {
            NamespaceTestbed testbed = NamespaceTestbed.Open(parse.GetValue(dir)!.FullName);
            LinkProfile shape = LinkProfile.Parse(parse.GetValue(profile)!);
            if (parse.GetValue(host) is { Length: > 0 } hosts)
            {
                Array.ForEach(hosts, h => testbed.SetProfile(h, shape));
            }
            else
            {
                testbed.SetReplicaProfiles(shape);
            }

            await output.WriteLineAsync(testbed.Describe());
        }));
        return command;
    }

    private static Command Partition()
    {
        var dir = DirOption();
        var groups = new Argument<string[]>("groups") { Description = "Replica groups such as 0,1,2 3: replicas talk only within a group (overlapping groups make a bridge).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("partition", "Cut the replicas into groups (clients keep reaching all); 'netns heal' undoes it.") { dir, groups };
        command.SetAction(async (parse, cancellationToken) => await NetnsHostCommands.Guard(parse, async output =>
        {
            NamespaceTestbed testbed = NamespaceTestbed.Open(parse.GetValue(dir)!.FullName);
            List<int[]> sets = [.. parse.GetValue(groups)!.Select(g => g.Split(',').Select(id =>
                int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int r) ? r : throw new CliException($"'{g}' is not a list of replica ids")).ToArray())];
            testbed.Partition(sets);
            await output.WriteLineAsync(testbed.Describe());
        }));
        return command;
    }

    private static Command Heal()
    {
        var dir = DirOption();
        var command = new Command("heal", "Remove every cut (profiles stay).") { dir };
        command.SetAction(async (parse, cancellationToken) => await NetnsHostCommands.Guard(parse, async output =>
        {
            NamespaceTestbed testbed = NamespaceTestbed.Open(parse.GetValue(dir)!.FullName);
            testbed.Heal();
            await output.WriteLineAsync(testbed.Describe());
        }));
        return command;
    }

    private static Command Exec()
    {
        var dir = DirOption();
        var host = new Option<string>("--host") { Description = "The host to run in: c (clients, default), r0, r1, ….", DefaultValueFactory = _ => TestbedHost.ClientName };
        var commandLine = new Argument<string[]>("command") { Description = "The command and its arguments (after --).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("exec", "Run a command inside a testbed host's namespace, e.g. a wallet command in the client namespace.") { dir, host, commandLine };
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                NamespaceTestbed testbed = NamespaceTestbed.Open(parse.GetValue(dir)!.FullName);
                string name = parse.GetValue(host)!;
                TestbedHost target = name == TestbedHost.ClientName ? testbed.Clients : testbed.Replicas.FirstOrDefault(h => h.Name == name)
                    ?? throw new CliException($"no host {name}");
                string[] args = parse.GetValue(commandLine)!;
                if (args[0] == "smartchain")
                {
                    args = [.. NetnsTestnet.SelfCommand(), .. args[1..]];
                }

                using Process process = Process.Start(NamespaceTestbed.ExecInfo(target, args)) ?? throw new CliException("could not start ip netns exec");
                await process.WaitForExitAsync(cancellationToken);
                return process.ExitCode;
            }
            catch (Exception e) when (e is CliException or TestbedException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
        return command;
    }
}
