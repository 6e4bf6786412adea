using System.CommandLine;
using System.Globalization;
using SmartChain.Cli.Netns;
using SmartChain.Core.Genesis;
using SmartChain.Testbed;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain netns bench</c>: SPEND throughput and latency across namespaces at WAN profiles.</summary>
internal static class NetnsBenchCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for netns-bench.md/.json and the testnets (default: bench-results/netns-<date-time>)." };
        var replicas = new Option<int[]>("--replicas") { Description = "Replica counts (default 4 7).", AllowMultipleArgumentsPerToken = true };
        var profiles = new Option<string[]>("--profiles") { Description = "Profiles of the replica links (default lan region continent world).", AllowMultipleArgumentsPerToken = true };
        var persistence = new Option<PersistenceMode[]>("--persistence") { Description = "Persistence modes (default Strong Weak).", AllowMultipleArgumentsPerToken = true };
        var clients = new Option<int[]>("--clients") { Description = "Client counts swept per profile (default 16 64; 4 streams each).", AllowMultipleArgumentsPerToken = true };
        var duration = new Option<double?>("--duration") { Description = "Seconds measured per point (default 5, after 2 s warm-up)." };
        var command = new Command("bench",
            "The WAN benchmark: per replica count and persistence mode a namespace testnet; per profile the replica links reshaped and a sweep " +
            "of SPEND clients in the client namespace; tx/s, p50, p99 at saturation and the share of the LAN throughput. Needs root.")
        {
            output, replicas, profiles, persistence, clients, duration,
        };
        command.SetAction(async (parse, cancellationToken) => await NetnsHostCommands.Guard(parse, async text =>
        {
            string folder = parse.GetValue(output)?.FullName
                ?? Path.GetFullPath(Path.Combine("bench-results", "netns-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
            var options = new NetnsBenchOptions { OutputDirectory = folder };
            options = options with
            {
                Replicas = parse.GetValue(replicas) is { Length: > 0 } r ? r : options.Replicas,
                Profiles = parse.GetValue(profiles) is { Length: > 0 } p ? [.. p.Select(LinkProfile.Parse)] : options.Profiles,
                Persistence = parse.GetValue(persistence) is { Length: > 0 } m ? m : options.Persistence,
                ClientSweep = parse.GetValue(clients) is { Length: > 0 } c ? c : options.ClientSweep,
                Duration = parse.GetValue(duration) is double d ? TimeSpan.FromSeconds(d) : options.Duration,
            };
            if (options.ClientSweep.Any(c => c < 1) || options.Duration <= TimeSpan.Zero)
            {
                throw new CliException("--clients and --duration must be positive");
            }

            IReadOnlyList<NetnsBenchPoint> points = await new NetnsBench(options, text).RunAsync(cancellationToken);
            string commandLine = "smartchain " + string.Join(' ', parse.Tokens.Select(t => t.Value));
            string markdown = NetnsBench.Markdown(points, commandLine);
            await File.WriteAllTextAsync(Path.Combine(folder, "netns-bench.md"), markdown, CancellationToken.None);
            await text.WriteLineAsync();
            await text.WriteLineAsync(markdown);
            await text.WriteLineAsync($"wrote {Path.Combine(folder, "netns-bench.md")} and netns-bench.json");
        }));
        return command;
    }
}
