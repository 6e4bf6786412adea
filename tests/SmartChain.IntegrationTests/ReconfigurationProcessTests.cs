using System.Diagnostics;
using System.Globalization;
using SmartChain.Cli.Testnet;
using SmartChain.Cli.Tests;
using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Ledger.Verification;
using SmartChain.Load;
using SmartChain.Reconfiguration.Keys;
using Xunit.Abstractions;

namespace SmartChain.IntegrationTests;

/// <summary>
/// SPEC §5 with real processes under continuous SMaRtCoin load, driven by the commands an operator types: the network
/// grows from 4 to 5 to 7 replicas by joins (<c>testnet join</c>: endorsement, JOIN, votes, join certificate, then the
/// new replica catches up by state transfer and orders), then shrinks to 4 by two leaves (<c>node leave</c>) and one
/// exclusion (<c>node exclude</c> by f+1 members). Throughput never stops for more than a few seconds; every final
/// member's ledger verifies from genesis through every reconfiguration block and all agree; the replicas that went erased
/// their view keys and exited.
/// </summary>
public sealed class ReconfigurationProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Under_load_the_network_grows_from_4_to_7_by_joins_and_shrinks_to_4_by_leaves_and_an_exclusion()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        (string net, GenesisDocument genesis, Ed25519KeyPair[] minters) = await TestnetSetup.InitAsync(_dir.Path, "strong", 1, "--checkpoint-period", "200");
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        // Eight streams keep the load continuous; more only took CPU from the joiners catching up (2 cores, up to 7 replicas).
        using var workload = new SpendStreams(genesis.ChainId, minters[0], streams: 8, seed: 21);
        using var progressed = new SemaphoreSlim(0);
        var samples = new List<(double Seconds, long Transactions)>();
        Task<LoadResult>? load = null;
        List<ChainClient> clients = [];
        long accepted = 0;
        var removedPids = new List<int>();
        try
        {
            CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
            Assert.True(start.ExitCode == 0, start.Output + start.Error);
            clients = await LocalNetwork.ConnectClientsAsync(genesis, 4, timeout.Token);
            load = LoadRunner.RunAsync(clients, workload, new LoadPlan(TimeSpan.Zero, TimeSpan.FromMinutes(10)), p =>
            {
                lock (samples)
                {
                    samples.Add((p.Elapsed.TotalSeconds, p.Transactions));
                }

                Interlocked.Exchange(ref accepted, p.Transactions);
                progressed.Release();
            }, stopLoad.Token);

            async Task LoadGoesOn(long more)
            {
                long target = Interlocked.Read(ref accepted) + more;
                while (Interlocked.Read(ref accepted) < target)
                {
                    await progressed.WaitAsync(timeout.Token);
                }
            }

            // The load runs through every step; a few hundred transactions after each show ordering goes on in the new view
            // (the volume itself proves nothing more: the joins, under load, are most of the test's time).
            await LoadGoesOn(300);
            foreach (int joiner in (int[])[4, 5, 6])
            {
                await RunAsync("testnet", "join", "--dir", net, "--id", joiner.ToString(CultureInfo.InvariantCulture));
                await LoadGoesOn(200);
            }

            Assert.Equal((3L, 7), await ViewOfAsync(clients[0], timeout.Token));

            foreach (int leaver in (int[])[0, 1])
            {
                removedPids.Add(Pid(net, leaver));
                await RunAsync("node", "leave", "--home", Home(net, leaver));
                await LoadGoesOn(200);
            }

            // Five members left: f = 1, so two votes exclude replica 2.
            removedPids.Add(Pid(net, 2));
            CliRun first = await RunAsync("node", "exclude", "--home", Home(net, 3), "--id", "2");
            Assert.Contains("counted: 1 of the 2 needed", first.Output, StringComparison.Ordinal);
            CliRun second = await RunAsync("node", "exclude", "--home", Home(net, 4), "--id", "2");
            Assert.Contains("replica 2 is excluded", second.Output, StringComparison.Ordinal);
            await LoadGoesOn(300);
            Assert.Equal((6L, 4), await ViewOfAsync(clients[0], timeout.Token));

            // The replicas that went stop by themselves once their removal is certified.
            foreach (int pid in removedPids)
            {
                await WaitForExitAsync(pid, timeout.Token);
            }
        }
        finally
        {
            try
            {
                await stopLoad.CancelAsync();
                if (load is not null)
                {
                    try
                    {
                        await load;
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                foreach (ChainClient client in clients)
                {
                    await client.DisposeAsync();
                }
            }
            finally
            {
                CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
                Assert.True(stop.ExitCode == 0, stop.Error);
                Array.ForEach(minters, k => k.Dispose());
            }
        }

        double longestStall = LongestStall(samples);
        output.WriteLine($"{Interlocked.Read(ref accepted)} transactions; longest time without an accepted transaction: {longestStall:0.0} s");
        Assert.True(longestStall <= 6, $"the load stopped for {longestStall:0.0} s");

        foreach (VerifyReport report in LedgerAssert.VerifiedAndIdentical(genesis, [.. new[] { 3, 4, 5, 6 }.Select(i => Path.Combine(Home(net, i), "data"))]))
        {
            output.WriteLine(report.ToString());
        }

        foreach (int gone in (int[])[0, 1, 2])
        {
            using ViewKeyChain chain = ViewKeyChain.Open(Path.Combine(Home(net, gone), ViewKeyChain.DefaultFileName));
            Assert.Equal(chain.Length, chain.Position); // every view key erased
            Assert.Contains("every one of its view keys is erased", await File.ReadAllTextAsync(Path.Combine(Home(net, gone), "node.log")), StringComparison.Ordinal);
        }
    }

    private async Task<CliRun> RunAsync(params string[] args)
    {
        var clock = Stopwatch.StartNew();
        CliRun run = await CliRun.AsProcessAsync(args);
        output.WriteLine($"$ smartchain {string.Join(' ', args)}  ({clock.Elapsed.TotalSeconds:0.0} s){Environment.NewLine}{run.Output.TrimEnd()}");
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        return run;
    }

    private static async Task<(long, int)> ViewOfAsync(ChainClient client, CancellationToken cancellationToken)
    {
        View view = await client.RefreshViewAsync(cancellationToken);
        return (view.Id, view.N);
    }

    private static string Home(string net, int id) => Path.Combine(net, $"node{id}");

    private static async Task WaitForExitAsync(int pid, CancellationToken cancellationToken)
    {
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return; // already gone
        }

        using (process)
        {
            await process.WaitForExitAsync(cancellationToken);
        }
    }

    private static int Pid(string net, int id) => int.Parse(File.ReadAllText(Path.Combine(Home(net, id), "node.pid")).Trim(), CultureInfo.InvariantCulture);

    // The longest stretch between two progress samples over which no transaction was accepted.
    private static double LongestStall(List<(double Seconds, long Transactions)> samples)
    {
        double longest = 0;
        double since = samples.Count > 0 ? samples[0].Seconds : 0;
        for (int i = 1; i < samples.Count; i++)
        {
            if (samples[i].Transactions > samples[i - 1].Transactions)
            {
                since = samples[i].Seconds;
            }
            else
            {
                longest = Math.Max(longest, samples[i].Seconds - since);
            }
        }

        return longest;
    }
}
