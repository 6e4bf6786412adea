using System.Globalization;
using System.Text;
using System.Text.Json;
using SmartChain.Core.Genesis;
using SmartChain.Testbed;

namespace SmartChain.Cli.Netns;

/// <summary>
/// The WAN benchmark: per replica count and persistence mode one namespace testnet, then per profile the replica links
/// reshaped at run time and a sweep of client counts of closed-loop SPEND load from the client namespace; the best
/// point of each sweep is the saturated throughput. The client link stays LAN (clients near their gateway), so the
/// latency measured is the replicas' consensus across the WAN plus one LAN hop.
/// </summary>
internal sealed class NetnsBench(NetnsBenchOptions options, TextWriter output)
{
    public async Task<IReadOnlyList<NetnsBenchPoint>> RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var points = new List<NetnsBenchPoint>();
        foreach (int n in options.Replicas)
        {
            foreach (PersistenceMode mode in options.Persistence)
            {
                points.AddRange(await RunNetworkAsync(n, mode, cancellationToken));
                await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "netns-bench.json"), Json(points), CancellationToken.None);
            }
        }

        return points;
    }

    private async Task<List<NetnsBenchPoint>> RunNetworkAsync(int n, PersistenceMode mode, CancellationToken cancellationToken)
    {
        string folder = Path.Combine(options.OutputDirectory, $"net-n{n}-{mode.ToString().ToLowerInvariant()}");
        output.WriteLine($"[n={n} {mode}] bringing up {n} replica namespaces in {folder}");
        var points = new List<NetnsBenchPoint>();
        NamespaceTestbed testbed = await NetnsTestnet.UpAsync(new TestbedOptions
        {
            Folder = folder,
            Replicas = n,
            SmartChainCommand = NetnsTestnet.SelfCommand(),
        }, mode, minters: 1, [], TextWriter.Null, cancellationToken);
        try
        {
            foreach (LinkProfile profile in options.Profiles)
            {
                testbed.SetReplicaProfiles(profile);
                var sweep = new List<NetnsBenchPoint>();
                foreach (int clients in options.ClientSweep)
                {
                    LoadJson result = await LoadAsync(testbed, clients, cancellationToken);
                    var point = new NetnsBenchPoint(n, mode.ToString().ToLowerInvariant(), profile.Name, profile.RttMs, clients, result);
                    sweep.Add(point);
                    string errors = result.Errors > 0 ? $"  errors {result.Errors}" : "";
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {profile.Name,-9} {clients,4} clients ({result.Streams,4} streams): {result.TxPerSecond,8:#,0} tx/s  p50 {result.P50Ms,7:0.0} ms  p99 {result.P99Ms,7:0.0} ms{errors}"));
                }

                points.AddRange(sweep);
            }
        }
        finally
        {
            IReadOnlyList<string> left = testbed.Down(TextWriter.Null);
            if (left.Count > 0)
            {
                output.WriteLine($"  left behind: {string.Join("; ", left)}");
            }
        }

        return points;
    }

    private async Task<LoadJson> LoadAsync(NamespaceTestbed testbed, int clients, CancellationToken cancellationToken)
    {
        string[] command =
        [
            .. testbed.SmartChainCommand, "netns", "load", "--network", NetnsTestnet.GenesisPath(testbed.Folder),
            "--clients", clients.ToString(CultureInfo.InvariantCulture), "--streams-per-client", options.StreamsPerClient.ToString(CultureInfo.InvariantCulture),
            "--warmup", options.Warmup.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--duration", options.Duration.TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        (int code, string text, string error) = await NetnsTestnet.RunInAsync(testbed.Clients, command,
            options.Warmup + options.Duration + TimeSpan.FromMinutes(2), cancellationToken);
        return code == 0 ? LoadJson.Parse(text) : throw new CliException($"the load in {testbed.Clients.Namespace} failed: {error.Trim()} {text.Trim()}");
    }

    /// <summary>The saturated point (best tx/s) of each sweep.</summary>
    public static IEnumerable<NetnsBenchPoint> Best(IEnumerable<NetnsBenchPoint> points) =>
        points.GroupBy(p => (p.Replicas, p.Persistence, p.Profile)).Select(g => g.MaxBy(p => p.Result.TxPerSecond)!);

    /// <summary>The Markdown table: one row per n, mode and profile at saturation, and each profile's share of its LAN throughput.</summary>
    public static string Markdown(IReadOnlyList<NetnsBenchPoint> points, string commandLine)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Command: `{commandLine}`; {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine();
        text.AppendLine("| n | persistence | profile | replica RTT | clients (streams) | SPEND tx/s | p50 ms | p99 ms | share of LAN tx/s |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        List<NetnsBenchPoint> best = [.. Best(points)];
        foreach (NetnsBenchPoint p in best)
        {
            double? lan = best.FirstOrDefault(b => b.Replicas == p.Replicas && b.Persistence == p.Persistence && b.Profile == "lan")?.Result.TxPerSecond;
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {p.Replicas} | {p.Persistence} | {p.Profile} | {p.LinkRttMs:0.#} ms | {p.Clients} ({p.Result.Streams}) | {p.Result.TxPerSecond:#,0} | {p.Result.P50Ms:0.0} | {p.Result.P99Ms:0.0} | " +
                $"{(lan is > 0 ? $"{p.Result.TxPerSecond / lan.Value:0%}" : "–")} |"));
        }

        return text.ToString();
    }

    public static string Json(IReadOnlyList<NetnsBenchPoint> points) => JsonSerializer.Serialize(points, Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
