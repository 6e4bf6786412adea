using System.Diagnostics;
using SmartChain.Coin;
using SmartChain.Core.Application;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.IO;
using SmartChain.Core.Views;
using SmartChain.Network.Client;
using SmartChain.Node;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// One seed of the whole-replica simulation: four real replica compositions (<see cref="ReplicaHost"/> with SMaRtCoin:
/// consensus driver, executor, ledger pipeline, certification, transfer, restart through the real start-up path from
/// their own folders) and simulated clients in this process, on one thread, in virtual time, over a simulated network.
/// Faults (<see cref="SimFaults"/>) are drawn from the seed; the invariants are checked while it runs (a reply only
/// for a durable, certified block; receipts verify; no replica loop fails, which includes the components' own
/// invariant assertions) and after it (<see cref="SimChecks"/>).
/// </summary>
internal sealed partial class ReplicaSimulation
{
    private const long Ms = TimeSpan.TicksPerMillisecond;
    private const int N = 4;
    private const int Clients = 3;
    private readonly long _quietAt;
    private static readonly long LivenessBound = 30_000 * Ms;
    private static readonly long GiveUpAt = 120_000 * Ms;

    private readonly ulong _seed;
    private readonly SimScheduler _scheduler;
    private readonly SimFaults _faults;
    private readonly SimNetwork _network;
    private readonly string _folder;
    private readonly Ed25519KeyPair[] _keys;
    private readonly Ed25519KeyPair[] _minters;
    private readonly GenesisDocument _genesis;
    private readonly ApplicationFactory _application = g => CoinApplication.ForGenesis(g);
    private readonly ReplicaHost?[] _hosts = new ReplicaHost?[Ever];
    private readonly Task?[] _completions = new Task?[Ever]; // each incarnation's loops, taken once (Completion is a new WhenAll per read)
    private readonly SimContext?[] _contexts = new SimContext?[Ever];
    private readonly List<string> _failures = [];
    private long _restarts;
    private long _livenessMs = -1;
    private long _height;

    private ReplicaSimulation(ulong seed, Func<SimFaults, SimFaults>? adjust, long faultyMs, Func<SimReconfiguration, SimReconfiguration>? reconfigure)
    {
        _seed = seed;
        _quietAt = faultyMs * Ms;
        _scheduler = new SimScheduler(seed);
        _faults = SimFaults.Draw(seed, _quietAt);
        _faults = adjust?.Invoke(_faults) ?? _faults;
        _reconfiguration = SimReconfiguration.Draw(seed, _faults);
        _reconfiguration = reconfigure?.Invoke(_reconfiguration) ?? _reconfiguration;
        _network = new SimNetwork(_scheduler, _faults);
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        _folder = Path.Combine(root, "smartchain-replica-sim", $"{seed}-{Guid.NewGuid():N}");
        _keys = [.. Enumerable.Range(0, Ever).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(70 + i), 32).ToArray()))];
        _minters = [.. Enumerable.Range(0, Clients).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(120 + i), 32).ToArray()))];
        var view = new View(0, [.. Enumerable.Range(0, N).Select(CreateHome)]);
        _genesis = new GenesisDocument("replica-sim", PersistenceMode.Strong, view, ConsensusParameters.Default with { MaxBatch = 64 }, _faults.Snapshots.CheckpointPeriod,
            [.. _minters.Select(m => m.PublicKey)], _chains);
        _network.OnReplySent = CheckReply;
        _network.OnLost = OnFrameLost;
    }

    /// <summary>Faults last this long (virtual ms) unless a run says otherwise; then the network heals.</summary>
    public const long DefaultFaultyMs = 4_000;

    /// <summary>
    /// Runs seed <paramref name="seed"/> with faults for <paramref name="faultyMs"/> virtual ms; <paramref name="adjust"/>
    /// may change the drawn faults (tests pin a fault class), <paramref name="reconfigure"/> the drawn reconfiguration.
    /// </summary>
    public static SimOutcome Run(ulong seed, long faultyMs = DefaultFaultyMs, Func<SimFaults, SimFaults>? adjust = null,
        Func<SimReconfiguration, SimReconfiguration>? reconfigure = null)
    {
        // One memo per seed: every party verifies on this one thread, so a signature checked by one is not checked again
        // by the curve for the next (same answer, see SignatureMemo); a new seed starts with an empty one.
        using SignatureMemo.Scope memo = SignatureMemo.Use(new SignatureMemo());
        var sim = new ReplicaSimulation(seed, adjust, faultyMs, reconfigure);
        try
        {
            return sim.RunAll();
        }
        finally
        {
            foreach (Ed25519KeyPair key in sim._keys.Concat(sim._minters))
            {
                key.Dispose();
            }

            if (Directory.Exists(sim._folder))
            {
                Directory.Delete(sim._folder, recursive: true);
            }
        }
    }

    private SimOutcome RunAll()
    {
        var wall = Stopwatch.StartNew();
        SynchronizationContext? caller = SynchronizationContext.Current;
        SimContext director = _scheduler.NewContext("director");
        var clients = new SimClient[Clients];
        Task run;
        SynchronizationContext.SetSynchronizationContext(director);
        try
        {
            for (int i = 0; i < N; i++)
            {
                Start(i);
            }

            for (int c = 0; c < Clients; c++)
            {
                clients[c] = new SimClient(c, _genesis, _minters[c], _network, r => _keys[r].PublicKey, _scheduler.Time);
            }

            run = DirectAsync(clients);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(caller);
        }

        bool finished = _scheduler.RunUntil(() => run.IsCompleted || _failures.Count > 0 || FailedLoop() is not null, GiveUpAt);
        if (FailedLoop() is { } loop)
        {
            _failures.Add(loop);
        }
        else if (run.IsFaulted)
        {
            _failures.Add($"the run's director failed: {run.Exception!.InnerException}");
        }
        else if (!finished && _failures.Count == 0)
        {
            _failures.Add($"stalled: nothing left to run at {_scheduler.Time.Now / Ms} virtual ms ({Status()})");
        }

        if (_failures.Count == 0)
        {
            int[] memberIds = [.. Members()];
            string[] members = [.. memberIds.Select(DataDir)];
            IStorage[] disks = DisksAfterPowerCut(memberIds);
            _failures.AddRange(SimChecks.Ledgers(_genesis, _application, members, [.. clients, Admin()], disks));
            _failures.AddRange(SimReconfigurationChecks.Removals(_genesis, _application, _removedAt, members, disks, DataDir, DiskOf, KeyChainFile));
        }

        _network.Trace($"end {_failures.Count} {clients.Sum(c => c.Acknowledged.Count)}");
        return new SimOutcome(_seed, _failures.Count == 0 ? null : string.Join("; ", _failures.Take(3)), _network.TraceHash(), _faults)
        {
            Reconfiguration = _reconfiguration,
            Reconfigured = _reconfigured,
            VirtualMs = _scheduler.Time.Now / Ms,
            Acknowledged = clients.Sum(c => c.Acknowledged.Count),
            Height = _height,
            Restarts = _restarts,
            Delivered = _network.Delivered,
            Lost = _network.Lost,
            Steps = _scheduler.Steps,
            Escapes = _scheduler.Escapes,
            FirstEscape = _scheduler.FirstEscape,
            LivenessMs = _livenessMs,
            Wall = wall.Elapsed,
            Disk = CountDisks(),
            Snapshots = _snapshotReport,
        };
    }

    // The run's script, in the director's context: clients submit while the faults play out, then one more request
    // each must be acknowledged within the liveness bound, then every replica settles and stops cleanly.
    private async Task DirectAsync(SimClient[] clients)
    {
        TimeProvider time = _scheduler.Time;
        Task faults = FaultsAsync();
        Task reconfiguration = ReconfigureAsync();
        Task corruptions = CorruptWhileRunningAsync();
        Task[] load = [.. clients.Select(c => LoadAsync(c))];
        await faults;
        await reconfiguration;
        await corruptions;
        await Task.WhenAll(load);
        long quiet = Math.Max(_quietAt, time.GetTimestamp());
        _network.Trace("quiet");
        foreach (SimClient client in clients)
        {
            if (await client.SubmitAsync(quiet + LivenessBound, CancellationToken.None) is not { } acknowledged)
            {
                _failures.Add($"liveness: a request sent after the faults ended was not acknowledged within {LivenessBound / Ms} virtual ms ({Status()})");
                return;
            }

            _livenessMs = Math.Max(_livenessMs, (acknowledged - quiet) / Ms);
        }

        if (!await SettleAsync(quiet + LivenessBound))
        {
            _failures.Add($"the replicas did not all certify every block up to the highest within the bound (certified prefixes {string.Join(", ", _hosts.Select(h => h?.CertifiedPrefix))}, heights {string.Join(", ", _hosts.Select(h => h?.CommittedHeight))})");
            return;
        }

        foreach (SimClient client in clients)
        {
            _failures.AddRange(client.BadReceipts);
        }

        for (int i = 0; i < Ever; i++)
        {
            await StopAsync(i);
        }
    }

    private async Task LoadAsync(SimClient client)
    {
        TimeProvider time = _scheduler.Time;
        while (time.GetTimestamp() < _quietAt)
        {
            await client.SubmitAsync(_quietAt, CancellationToken.None);
        }
    }

    private async Task FaultsAsync()
    {
        TimeProvider time = _scheduler.Time;
        foreach ((int replica, long at, long down) in _faults.Crashes)
        {
            await Task.Delay(TimeSpan.FromTicks(Math.Max(0, at - time.GetTimestamp())), time);
            _network.Trace($"crash r{replica}");
            long left = await CrashAsync(replica, down);
            await Task.Delay(TimeSpan.FromTicks(left), time);
            _network.Trace($"restart r{replica}");
            Restart(replica);
            _restarts++;
        }
    }

    private async Task<bool> SettleAsync(long deadline)
    {
        TimeProvider time = _scheduler.Time;
        while (time.GetTimestamp() < deadline)
        {
            long head = _hosts.Max(h => h?.CommittedHeight ?? 0);
            if (_hosts.All(h => h is null || h.CertifiedPrefix >= head))
            {
                _height = head;
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }

        return false;
    }

    private const long SimVoteLogCompactBytes = 4096;

    private void Start(int i)
    {
        SimContext context = _scheduler.NewContext($"replica{i}");
        _contexts[i] = context;
        SynchronizationContext? before = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            var options = ReplicaOptions.Default with
            {
                // Small, so the vote log is compacted every few instances and crashes and power cuts land around its
                // rewrites: a restarted replica must still find every vote it sent.
                VoteLogCompactBytes = SimVoteLogCompactBytes,
                Platform = new ReplicaPlatform
                {
                    Time = _scheduler.Time,
                    Background = new SimTaskScheduler(context),
                    ConsensusContext = context,
                    Random = new Random((int)(_seed ^ (ulong)(i * 7919)) ^ (int)_restarts),
                    Links = _network.TransportFor(i, context),
                    Storage = DiskOf(i),
                },
            };
            options = WithSnapshotOptions(options);
            ReplicaMember member = _members[i];
            _hosts[i] = ReplicaHost.Start(new NodeConfig(i, "genesis.json", member.ReplicaEndpoint, member.ClientEndpoint, DataDir(i), "unused") { KeyChain = KeyChainFile(i) },
                _genesis, _keys[i], _application, LogFor(i), options);
            _completions[i] = _hosts[i]!.Completion;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(before);
        }
    }

    // A clean stop (every loop ends, the files close) followed later by a restart through the real recovery path.
    private async Task StopAsync(int i)
    {
        if (_hosts[i] is not { } host)
        {
            return;
        }

        _network.Down(i);
        await host.DisposeAsync();
        _hosts[i] = null;
        _completions[i] = null;
        _contexts[i]!.Kill();
    }

    // The reply-release rule seen from outside: a replica may answer Executed only for a block it holds durably, and in
    // strong mode only once the block's certificate is durable too.
    private void CheckReply(int replica, ReadOnlyMemory<byte> payload)
    {
        ReplyMessage reply = ReplyMessage.Decode(payload.Span);
        if (reply.Status is not (ReplyStatus.Executed or ReplyStatus.Duplicate) || reply.Block == 0 || _hosts[replica] is not { } host)
        {
            return;
        }

        if (reply.Block > host.CommittedHeight || reply.Block > host.LastCertified)
        {
            _failures.Add($"replica {replica} answered for block {reply.Block} while its durable height was {host.CommittedHeight} and its last certified block {host.LastCertified}");
        }
    }

    private string? FailedLoop()
    {
        for (int i = 0; i < Ever; i++)
        {
            if (_completions[i] is { IsFaulted: true } failed && !HaltedOnFailedSync(i, failed.Exception!))
            {
                return $"replica {i} stopped: {failed.Exception!.InnerException}";
            }
        }

        return null;
    }

    private string Status() => string.Join(" | ", _hosts.Select((h, i) => h is null ? $"r{i} down" : $"r{i} {h.Status}"));

    private string DataDir(int i) => Path.Combine(_folder, $"node{i}", "data");
}
