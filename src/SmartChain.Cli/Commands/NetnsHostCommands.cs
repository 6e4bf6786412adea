using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using SmartChain.Cli.Netns;
using SmartChain.Cli.Testnet;
using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Load;
using SmartChain.Testbed.Switch;

namespace SmartChain.Cli.Commands;

/// <summary>
/// The <c>netns</c> commands that run inside one of the testbed's namespaces (through <c>netns exec</c> or the runner):
/// the bridge, waiting for a network, a load generator, an RTT probe.
/// </summary>
internal static class NetnsHostCommands
{
    private const int ConnectBatch = 4;

    public static IEnumerable<Command> Create() => [Switch(), Wait(), Load(), Rtt()];

    private static Command Switch()
    {
        var dir = new Option<DirectoryInfo>("--dir") { Description = "The testbed folder.", Required = true };
        var command = new Command("switch", "The testbed's bridge (run by 'netns up' inside the bridge namespace; not for direct use).") { dir };
        command.Hidden = true;
        command.SetAction(async (parse, cancellationToken) =>
            await PacketSwitch.RunAsync(parse.GetValue(dir)!.FullName, parse.InvocationConfiguration.Output, cancellationToken));
        return command;
    }

    private static Command Wait()
    {
        var network = new Option<FileInfo>("--network") { Description = "The network's genesis.json.", Required = true };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait (default 60).", DefaultValueFactory = _ => 60 };
        var command = new Command("wait", "Wait until every replica of the network answers and is connected to all others (run inside the client namespace).")
        {
            network, timeout,
        };
        command.SetAction(async (parse, cancellationToken) => await Guard(parse, async output =>
        {
            GenesisDocument genesis = GenesisJson.Load(parse.GetValue(network)!.FullName);
            await TestnetProcesses.WaitUntilConnectedAsync(genesis, new Dictionary<string, int>(), output, TimeSpan.FromSeconds(parse.GetValue(timeout)));
        }));
        return command;
    }

    private static Command Load()
    {
        var network = new Option<FileInfo>("--network") { Description = "The network's genesis.json (minter wallets in wallets/ beside it).", Required = true };
        var clients = new Option<int>("--clients") { Description = "Client connections (default 16).", DefaultValueFactory = _ => 16 };
        var perClient = new Option<int>("--streams-per-client") { Description = "Closed-loop streams per client (default 4).", DefaultValueFactory = _ => 4 };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of unmeasured warm-up (default 2).", DefaultValueFactory = _ => 2 };
        var duration = new Option<double>("--duration") { Description = "Seconds measured (default 5).", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the SPEND wallets (default: time-based).", DefaultValueFactory = _ => (ulong)Environment.TickCount64 };
        var command = new Command("load",
            "Run closed-loop SPEND load against a network and print one JSON line: streams, transactions, tx/s, p50/p99/p99.9 ms, errors " +
            "(run it inside the client namespace: 'smartchain netns exec --dir D -- smartchain netns load …').")
        {
            network, clients, perClient, warmup, duration, seed,
        };
        command.SetAction(async (parse, cancellationToken) => await Guard(parse, async output =>
        {
            string genesisPath = parse.GetValue(network)!.FullName;
            GenesisDocument genesis = GenesisJson.Load(genesisPath);
            using Ed25519KeyPair minter = KeyFile.Load(Path.Combine(Path.GetDirectoryName(genesisPath)!, TestnetInitializer.WalletsFolder, TestnetInitializer.MinterKeyFile(0)));
            int count = parse.GetValue(clients);
            if (count < 1 || parse.GetValue(perClient) < 1 || parse.GetValue(duration) <= 0 || parse.GetValue(warmup) < 0)
            {
                throw new CliException("--clients, --streams-per-client and --duration must be positive");
            }

            // All clients share the client namespace's one address, and a replica lets at most 8 handshakes from one
            // address be unfinished at a time (more are evicted): at WAN round trips a burst of connects trips that, so
            // they go in small batches.
            var connected = new List<ChainClient>();
            try
            {
                for (int done = 0; done < count; done += ConnectBatch)
                {
                    connected.AddRange(await LocalNetwork.ConnectClientsAsync(genesis, Math.Min(ConnectBatch, count - done), cancellationToken));
                }

                using var workload = new SpendStreams(genesis.ChainId, minter, count * parse.GetValue(perClient), parse.GetValue(seed),
                    mintSequenceStart: (ulong)DateTime.UtcNow.Ticks);
                LoadResult result = await LoadRunner.RunAsync(connected, workload,
                    new LoadPlan(TimeSpan.FromSeconds(parse.GetValue(warmup)), TimeSpan.FromSeconds(parse.GetValue(duration))), null, cancellationToken);
                await output.WriteLineAsync(LoadJson.From(result).Serialize());
            }
            finally
            {
                foreach (ChainClient client in connected)
                {
                    await client.DisposeAsync();
                }
            }
        }));
        return command;
    }

    private static Command Rtt()
    {
        var address = new Option<string>("--address") { Description = "The address to probe.", Required = true };
        var count = new Option<int>("--count") { Description = "Probes (default 10).", DefaultValueFactory = _ => 10 };
        var timeout = new Option<int>("--timeout-ms") { Description = "Milliseconds before a probe counts as lost (default 1000).", DefaultValueFactory = _ => 1000 };
        var command = new Command("rtt",
            "Measure TCP round-trip times to an address (a connect to a closed port, answered by a reset) and print them as JSON; " +
            "run inside a testbed host with 'netns exec'.")
        {
            address, count, timeout,
        };
        command.SetAction(async (parse, cancellationToken) => await Guard(parse, async output =>
        {
            if (!IPAddress.TryParse(parse.GetValue(address), out IPAddress? target))
            {
                throw new CliException($"--address {parse.GetValue(address)} is not an IP address");
            }

            List<double?> samples = await TcpRtt.MeasureAsync(target, Math.Max(1, parse.GetValue(count)), TimeSpan.FromMilliseconds(parse.GetValue(timeout)), cancellationToken);
            double[] answered = [.. samples.Where(s => s is not null).Select(s => s!.Value).Order()];
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                samplesMs = samples,
                lost = samples.Count(s => s is null),
                medianMs = answered.Length == 0 ? (double?)null : answered[answered.Length / 2],
            }));
        }));
        return command;
    }

    /// <summary>Runs an async command body, turning the errors a user or the network can cause into one line and exit code 1.</summary>
    internal static async Task<int> Guard(ParseResult parse, Func<TextWriter, Task> body)
    {
        try
        {
            await body(parse.InvocationConfiguration.Output);
            return CommandRunner.Success;
        }
        catch (Exception e) when (e is CliException or Testbed.TestbedException or ChainClientException or LoadException or IOException or GenesisException
                                      or KeyFileException or UnauthorizedAccessException)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
            return CommandRunner.Failure;
        }
    }

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
