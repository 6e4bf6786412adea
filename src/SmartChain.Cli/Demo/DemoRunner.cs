using System.Globalization;
using SmartChain.Cli.Testnet;
using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Load;
using SmartChain.Network.Client;

namespace SmartChain.Cli.Demo;

/// <summary>
/// The demo: a local network of replica processes doing SMaRtCoin work under concurrent clients, every ledger
/// verified afterwards. The network's processes are stopped whatever happens, Ctrl-C included.
/// </summary>
internal static class DemoRunner
{
    public static async Task<DemoOutcome> RunAsync(DemoOptions options, DemoView view, CancellationToken cancellationToken)
    {
        string folder = options.Directory is { } dir ? Path.GetFullPath(dir)
            : Path.Combine(Path.GetTempPath(), $"smartchain-demo-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Environment.ProcessId}");
        view.Line($"network folder: {folder}");
        bool keep = options.Directory is not null;
        try
        {
            await using LocalNetwork network = await LocalNetwork.StartAsync(folder, options.Replicas, options.Persistence, 1, [], TextWriter.Null,
                options.CheckpointPeriod);
            view.Line($"started {options.Replicas} replica processes on 127.0.0.1 ({options.Persistence.ToString().ToLowerInvariant()} persistence, chain {network.Genesis.ChainId})");

            LoadResult load;
            bool aligned;
            List<ChainClient> clients = await network.ConnectClientsAsync(options.Clients, cancellationToken);
            try
            {
                using Ed25519KeyPair minter = network.LoadMinters()[0];
                using var workload = new SpendStreams(network.Genesis.ChainId, minter, options.Clients * options.StreamsPerClient, seed: (ulong)Environment.TickCount64);
                view.Line($"minting coins for {workload.Streams} wallets, then SPEND chains between them from {options.Clients} clients for {options.Duration.TotalSeconds:0} s");
                using var probe = new ReplicaProbe(clients[0]);
                var killer = new LeaderKiller(network, options.KillLeaderAt, view);
                var grower = new Grower(network, options, view, cancellationToken);
                load = await LoadRunner.RunAsync(clients, workload, new LoadPlan(TimeSpan.Zero, options.Duration), p =>
                {
                    killer.At(p.Elapsed, probe.Latest.Leader);
                    grower.At(p.Elapsed);
                    view.Progress(p, probe.Latest);
                }, cancellationToken);
                killer.EnsureRestarted();
                await grower.FinishAsync();
                aligned = await LocalNetwork.WaitUntilAlignedAsync(clients[0], TimeSpan.FromSeconds(30), cancellationToken);
            }
            finally
            {
                foreach (ChainClient client in clients)
                {
                    await client.DisposeAsync();
                }
            }

            // Stopped before verifying, so every replica's ledger is complete and final.
            await network.StopAsync();
            view.Line("load stopped; replicas stopped; verifying every replica's ledger on its own");
            return new DemoOutcome(folder, load, network.VerifyAll(), aligned);
        }
        finally
        {
            if (!keep && Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>With --kill-leader-at: SIGKILLs the leader's process at that time and starts it again 3 s later.</summary>
    private sealed class LeaderKiller(LocalNetwork network, TimeSpan? at, DemoView view)
    {
        private int _killed = -1;
        private TimeSpan _killedAt;
        private bool _restarted;

        public void At(TimeSpan elapsed, int leader)
        {
            if (at is not { } when)
            {
                return;
            }

            if (_killed < 0 && elapsed >= when && network.Pids().TryGetValue(leader, out int pid))
            {
                using (var process = System.Diagnostics.Process.GetProcessById(pid))
                {
                    process.Kill();
                }

                _killed = leader;
                _killedAt = elapsed;
                view.Line(string.Create(CultureInfo.InvariantCulture, $"killed replica {leader}, the leader (pid {pid}, SIGKILL) at {elapsed.TotalSeconds:0} s"));
            }
            else if (_killed >= 0 && !_restarted && elapsed >= _killedAt + TimeSpan.FromSeconds(3))
            {
                EnsureRestarted();
            }
        }

        public void EnsureRestarted()
        {
            if (_killed >= 0 && !_restarted)
            {
                _restarted = true;
                network.Restart(_killed);
                view.Line($"restarted replica {_killed}: it recovers from its ledger and catches up");
            }
        }
    }

    /// <summary>
    /// With --grow-to: from a quarter of the load on, joins replicas one after another (each endorsed by a member, admitted
    /// by a join certificate, started, caught up by state transfer) until the network has that many, while the load goes on.
    /// </summary>
    private sealed class Grower(LocalNetwork network, DemoOptions options, DemoView view, CancellationToken cancellationToken)
    {
        private Task? _growing;

        public void At(TimeSpan elapsed)
        {
            if (options.GrowTo is not { } target || _growing is not null || elapsed < options.Duration / 4)
            {
                return;
            }

            _growing = Task.Run(async () =>
            {
                for (int n = options.Replicas; n < target; n++)
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    (int id, Core.Views.View admitted, TimeSpan joining) = await network.JoinAsync(cancellationToken);
                    view.Line(string.Create(CultureInfo.InvariantCulture,
                        $"replica {id} joined: {admitted} with members {admitted.MemberList}; JOIN, votes and join certificate took {joining.TotalSeconds:0.00} s, and the new replica was up and connected {(clock.Elapsed - joining).TotalSeconds:0.0} s later"));
                }
            }, cancellationToken);
        }

        public async Task FinishAsync()
        {
            if (_growing is { } growing)
            {
                await growing;
            }
        }
    }

    /// <summary>Asks the replicas once a second where they are, for the progress display.</summary>
    private sealed class ReplicaProbe : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public ReplicaProbe(ChainClient client) => _loop = LoopAsync(client);

        public (long Block, int Leader, long View, int Members) Latest { get; private set; }

        public void Dispose()
        {
            _stop.Cancel();
            try
            {
                _loop.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }

            _stop.Dispose();
        }

        private async Task LoopAsync(ChainClient client)
        {
            while (!_stop.IsCancellationRequested)
            {
                IReadOnlyDictionary<int, QueryResultMessage> answers = await LocalNetwork.ProbeAsync(client, _stop.Token);
                if (answers.Count > 0)
                {
                    Latest = (answers.Values.Max(a => a.BlockHeight), answers.Values.GroupBy(a => a.Leader).OrderByDescending(g => g.Count()).First().Key,
                        client.View.Id, client.View.N);
                }

                await Task.Delay(1000, _stop.Token);
            }
        }
    }
}
