using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using SmartChain.Cli.Testnet;
using SmartChain.Cli.Tests;
using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger.Verification;
using SmartChain.Load;
using SmartChain.Network.Client;
using Xunit.Abstractions;

namespace SmartChain.IntegrationTests;

/// <summary>
/// Issue 14: one replica of four is a real Byzantine process (tests/SmartChain.ByzantineReplica) whose every outbound
/// replica frame may be dropped, replayed, changed in any field over its whole range, re-signed, or sent differently to
/// each peer. Under SPEND/MINT load the three correct replicas keep ordering (after a leader change, if the liar led),
/// and every acknowledged transaction is in each correct ledger, which verifies and agrees with the others.
/// </summary>
public sealed class ByzantineReplicaProcessTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// What one Byzantine peer can make a correct replica hold, by the byte bounds of docs/network.md ("Resident memory
    /// of a replica under a Byzantine replica"): ≈ 270 MiB with the default genesis, rounded up.
    /// </summary>
    public const long ByzantinePeerBudgetBytes = 300L << 20;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(3, 41, 30)] // a follower
    [InlineData(0, 42, 30)] // the leader of regency 0, lying in 30% of its frames: replaced on evidence, not by a timeout
    public async Task With_one_Byzantine_replica_process_the_correct_ones_keep_ordering_and_keep_every_acknowledged_transaction(int byzantine, int seed, int ratePercent)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        (string net, GenesisDocument genesis, Ed25519KeyPair[] minters) = await TestnetSetup.InitAsync(_dir.Path, "strong", 1);
        int[] correct = [.. Enumerable.Range(0, 4).Where(i => i != byzantine)];
        using var workload = new AcknowledgedStreams(new SpendStreams(genesis.ChainId, minters[0], streams: 16, seed: (ulong)seed));
        var byzantineLog = new StringBuilder();
        Process? liar = null;
        List<ChainClient> clients = [];
        try
        {
            CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
            Assert.True(start.ExitCode == 0, start.Output + start.Error);

            // The honest replica goes; the liar takes its home, keys and ports.
            string home = Path.Combine(net, $"node{byzantine}");
            using (Process honest = Process.GetProcessById(int.Parse(File.ReadAllText(Path.Combine(home, "node.pid")).Trim(), CultureInfo.InvariantCulture)))
            {
                honest.Kill();
                await honest.WaitForExitAsync(timeout.Token);
            }

            liar = StartLiar(home, seed, ratePercent, byzantineLog);
            await TestnetProcesses.WaitUntilConnectedAsync(genesis, new Dictionary<string, int>(), TextWriter.Null, TimeSpan.FromSeconds(30));

            clients = await LocalNetwork.ConnectClientsAsync(genesis, 4, timeout.Token);
            int[] pids = [.. correct.Select(i => int.Parse(File.ReadAllText(Path.Combine(net, $"node{i}", "node.pid")).Trim(), CultureInfo.InvariantCulture))];
            long[] idle = [.. pids.Select(ProcessMemory.ResidentBytes)];
            var clock = Stopwatch.StartNew();
            Task<LoadResult> load = LoadRunner.RunAsync(clients, workload, new LoadPlan(TimeSpan.Zero, TimeSpan.FromSeconds(12)), _ => { }, timeout.Token);
            long[] peak = await ProcessMemory.PeakWhileAsync(pids, load); // sampled while the load runs: no longer a test
            LoadResult result = await load;
            output.WriteLine($"{result.Transactions} transactions acknowledged in {clock.Elapsed.TotalSeconds:0.0} s ({result.Errors} errors); " +
                $"{workload.AcknowledgedAfter(TimeSpan.FromSeconds(6))} after 6 s");
            for (int k = 0; k < pids.Length; k++)
            {
                output.WriteLine($"replica {correct[k]}: VmRSS idle {idle[k] >> 20} MiB, peak under load and the liar {peak[k] >> 20} MiB " +
                    $"(+{(peak[k] - idle[k]) >> 20} MiB; budget +{ByzantinePeerBudgetBytes >> 20} MiB)");
            }

            Assert.All(Enumerable.Range(0, pids.Length), k => Assert.True(peak[k] - idle[k] <= ByzantinePeerBudgetBytes,
                $"replica {correct[k]} grew by {(peak[k] - idle[k]) >> 20} MiB with a Byzantine peer, over the budget of {ByzantinePeerBudgetBytes >> 20} MiB"));

            // Ordering went on: thousands acknowledged, and still in the second half (after any leader change). The
            // throughput itself depends on the machine's load too much to assert a figure (docs/consensus.md has them);
            // that a lying leader is replaced is asserted below.
            Assert.True(workload.Acknowledged.Count >= 300, $"only {workload.Acknowledged.Count} acknowledged");
            Assert.True(workload.AcknowledgedAfter(TimeSpan.FromSeconds(6)) >= 100, "ordering stopped in the second half");
        }
        finally
        {
            try
            {
                foreach (ChainClient client in clients)
                {
                    await client.DisposeAsync();
                }
            }
            finally
            {
                // The processes go, whatever failed above.
                if (liar is not null)
                {
                    if (!liar.HasExited)
                    {
                        // SIGTERM first: it then prints what its filter did.
                        using (Process term = Process.Start("kill", ["-TERM", liar.Id.ToString(CultureInfo.InvariantCulture)])!)
                        {
                            await term.WaitForExitAsync(CancellationToken.None);
                        }

                        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                        try
                        {
                            await liar.WaitForExitAsync(grace.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            liar.Kill();
                            await liar.WaitForExitAsync(CancellationToken.None);
                        }
                    }

                    liar.Dispose();
                }

                CliRun stop = await CliRun.AsProcessAsync("testnet", "stop", "--dir", net);
                Array.ForEach(minters, k => k.Dispose());
                Assert.True(stop.ExitCode == 0, stop.Error);
            }
        }

        string summary;
        lock (byzantineLog)
        {
            summary = string.Join(Environment.NewLine, byzantineLog.ToString().Split('\n').Where(l => l.Contains("byzantine", StringComparison.Ordinal)));
        }

        // It did lie: frames changed in fields and bytes, re-signed, replayed.
        output.WriteLine(summary);
        Assert.Matches(@"stopped: \d+ unchanged, [1-9]\d* dropped, [1-9]\d* replayed, [1-9]\d* field-mutated, \d+ re-signed accepts, [1-9]\d* byte-mutated", summary);

        // Where each correct replica ended: a liar that led must have been replaced (the throughput above came after);
        // before suspicion on evidence, a leader lying in 30% of its frames kept its regency (issue 14).
        foreach (int i in correct)
        {
            string stopped = File.ReadAllLines(Path.Combine(net, $"node{i}", "node.log")).Last(l => l.Contains("stopped: replica", StringComparison.Ordinal));
            System.Text.RegularExpressions.Match state = System.Text.RegularExpressions.Regex.Match(stopped, @"regency (\d+) leader (\d+)");
            output.WriteLine($"replica {i} ended in {state.Value}");
            Assert.True(state.Success, stopped);
            Assert.NotEqual(byzantine == 0 ? "0" : "-", state.Groups[2].Value);
            if (byzantine == 0)
            {
                // Each correct replica had its own proof that the leader lied (suspicion on evidence, docs/consensus.md).
                Assert.Contains(File.ReadLines(Path.Combine(net, $"node{i}", "node.log")), l => l.Contains("evidence against replica 0", StringComparison.Ordinal));
            }
        }

        string[] dataDirs = [.. correct.Select(i => Path.Combine(net, $"node{i}", "data"))];
        foreach (VerifyReport report in LedgerAssert.VerifiedAndIdentical(genesis, dataDirs))
        {
            output.WriteLine(report.ToString());
        }

        foreach (string dataDir in dataDirs)
        {
            HashSet<Hash256> ledger = LedgerAssert.EntryDigests(dataDir);
            Hash256[] missing = [.. workload.Acknowledged.Keys.Where(d => !ledger.Contains(d))];
            Assert.True(missing.Length == 0, $"{dataDir}: {missing.Length} acknowledged transactions missing, e.g. {missing.FirstOrDefault()}");
        }
    }

    private static Process StartLiar(string home, int seed, int ratePercent, StringBuilder log)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }.OwnedByThisRun();
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "SmartChain.ByzantineReplica.dll"), "--home", home,
                     "--seed", seed.ToString(CultureInfo.InvariantCulture), "--rate", ratePercent.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the Byzantine replica");
        void Append(object? sender, DataReceivedEventArgs e)
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // The load's streams, remembering each transaction a client saw acknowledged (Executed by a quorum) and when.
    private sealed class AcknowledgedStreams(SpendStreams inner) : IStreamWorkload, IDisposable
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public ConcurrentDictionary<Hash256, TimeSpan> Acknowledged { get; } = new();

        public int Streams => inner.Streams;

        public IReadOnlyList<SignedRequest> Setup(long notBefore)
        {
            _clock.Restart(); // the load starts now
            return inner.Setup(notBefore);
        }

        public SignedRequest NextRequest(int stream, long notBefore) => inner.NextRequest(stream, notBefore);

        public bool Accepted(int stream, ReplyMessage reply)
        {
            if (reply.Status is ReplyStatus.Executed or ReplyStatus.Duplicate)
            {
                Acknowledged[reply.Digest] = _clock.Elapsed;
            }

            return inner.Accepted(stream, reply);
        }

        public int AcknowledgedAfter(TimeSpan at) => Acknowledged.Values.Count(t => t >= at);

        public void Dispose() => inner.Dispose();
    }
}
