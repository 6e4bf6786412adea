using System.Globalization;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;
using SmartChain.Network.Client;

namespace SmartChain.Cli.Testnet;

/// <summary>
/// A throwaway local network for the demo and the benchmark: initialized on free ports, its replicas started as
/// processes, stopped (never left behind) on dispose, its ledgers verified afterwards.
/// </summary>
internal sealed class LocalNetwork : IAsyncDisposable
{
    private readonly TextWriter _log;
    private readonly IReadOnlyList<string> _nodeArgs;
    private bool _running;

    private LocalNetwork(string folder, GenesisDocument genesis, TextWriter log, IReadOnlyList<string> nodeArgs)
    {
        _nodeArgs = nodeArgs;
        Folder = folder;
        Genesis = genesis;
        _log = log;
    }

    /// <summary>
    /// The runtime settings of the demo's and the benchmark's replicas: no quick JIT, so a method that is not precompiled
    /// (ours, and the libraries') is compiled optimized at its first call instead of running unoptimized until tiered
    /// compilation catches up. The demo then reaches 80% of its steady throughput in about half a second instead of
    /// about 10 (docs/performance.md, "Warm start"), at the price of about 2 s more start-up on 2 cores, which is why
    /// it is not in the runtimeconfig of every command (the tests start many short-lived testnets).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReplicaEnvironment { get; } = new Dictionary<string, string> { ["DOTNET_TC_QuickJit"] = "0" };

    public string Folder { get; }

    public GenesisDocument Genesis { get; }

    /// <summary>Creates the testnet in <paramref name="folder"/> (which must not hold one) and starts its replicas.</summary>
    public static async Task<LocalNetwork> StartAsync(string folder, int replicas, PersistenceMode persistence, int minters,
        IReadOnlyList<string> nodeArgs, TextWriter log, long checkpointPeriod = Core.Genesis.GenesisDocument.DefaultCheckpointPeriod)
    {
        TestnetResult created = TestnetInitializer.Initialize(new TestnetOptions
        {
            CheckpointPeriod = checkpointPeriod,
            Directory = folder,
            Replicas = replicas,
            Persistence = persistence,
            Minters = minters,
            BasePort = FreePorts.Range(2 * replicas),
            ChainId = $"smartchain-{DateTime.UtcNow:yyyyMMddHHmmss}",
        });
        // The replicas (and any restarted or joined later) stop if this process dies, so a killed demo or benchmark leaves none behind.
        nodeArgs = [.. nodeArgs, "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)];
        var network = new LocalNetwork(created.Directory, created.Genesis, log, nodeArgs) { _running = true };
        try
        {
            await TestnetProcesses.StartAllAsync(created.Directory, log, TimeSpan.FromSeconds(60), nodeArgs, environment: ReplicaEnvironment);
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>The minter keys (owned by the caller).</summary>
    public Ed25519KeyPair[] LoadMinters() =>
        [.. Enumerable.Range(0, Genesis.Minters.Count).Select(k => KeyFile.Load(Path.Combine(Folder, TestnetInitializer.WalletsFolder, TestnetInitializer.MinterKeyFile(k))))];

    /// <summary>The process ids of the running replicas, by replica id.</summary>
    public IReadOnlyDictionary<int, int> Pids() => PidsIn(Folder);

    /// <summary>The process ids of the replicas of the testnet in <paramref name="folder"/> running on this machine, by replica id.</summary>
    public static IReadOnlyDictionary<int, int> PidsIn(string folder) =>
        TestnetProcesses.Homes(folder).Select(home => (Id: IdOf(home), Pid: TestnetProcesses.RunningPid(home))).Where(p => p.Pid is not null)
            .ToDictionary(p => p.Id, p => p.Pid!.Value);

    /// <summary>Starts replica <paramref name="replica"/> again (after it was killed); it recovers from its own ledger.</summary>
    public void Restart(int replica) => TestnetProcesses.Launch(Path.Combine(Folder, TestnetInitializer.NodeFolder(replica)), _nodeArgs, ReplicaEnvironment);

    /// <summary>Joins a new replica (the next id), endorsed by a member, and starts it; returns its id and the view that admitted it.</summary>
    public async Task<(int Id, Core.Views.View Admitted, TimeSpan Joining)> JoinAsync(CancellationToken cancellationToken)
    {
        (string home, Core.Views.View admitted, TimeSpan joining) = await TestnetMembership.JoinAsync(Folder, null, start: true, _nodeArgs, TextWriter.Null, cancellationToken);
        return (IdOf(home), admitted, joining);
    }

    private static int IdOf(string home) => NodeConfig.Load(Path.Combine(home, NodeConfig.FileName)).ReplicaId;

    /// <summary>Connects <paramref name="count"/> clients, each with a key of its own.</summary>
    public Task<List<ChainClient>> ConnectClientsAsync(int count, CancellationToken cancellationToken) =>
        ConnectClientsAsync(Genesis, count, cancellationToken);

    /// <summary>
    /// Connects <paramref name="count"/> clients to the network of <paramref name="genesis"/>, each with a key of its own,
    /// <see cref="ConnectBatch"/> at a time (a replica that does not answer costs one connect timeout per batch, not one per
    /// client). Not all at once: every client here connects from the same address, and a replica keeps only
    /// <c>LinkOptions.MaxHandshakesPerSource</c> unfinished handshakes per address, evicting the oldest beyond that, so a
    /// burst of 16 clients on a loaded machine lost its first connections. <paramref name="options"/> are the clients'
    /// (the defaults when null).
    /// </summary>
    public static async Task<List<ChainClient>> ConnectClientsAsync(GenesisDocument genesis, int count, CancellationToken cancellationToken,
        ClientOptions? options = null)
    {
        var clients = new List<ChainClient>(count);
        try
        {
            for (int done = 0; done < count; done += ConnectBatch)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(ConnectBatch, count - done)).Select(async _ =>
                {
                    using Ed25519KeyPair identity = Ed25519KeyPair.Generate();
                    return await ChainClient.ConnectAsync(genesis, identity, options, cancellationToken);
                })));
            }
        }
        catch
        {
            foreach (ChainClient client in clients)
            {
                await client.DisposeAsync();
            }

            throw;
        }

        return clients;
    }

    /// <summary>Half of the replicas' default unfinished handshakes per address (8), leaving room for other connections from here.</summary>
    public const int ConnectBatch = 4;

    /// <summary>Every replica's state: executed instance, block, leader (a replica that does not answer is left out).</summary>
    public static async Task<IReadOnlyDictionary<int, QueryResultMessage>> ProbeAsync(ChainClient client, CancellationToken cancellationToken) =>
        await client.QueryEachAsync(CoinQuery.CoinsOf(default), TimeSpan.FromSeconds(1), cancellationToken);

    /// <summary>Waits (up to <paramref name="max"/>) until every replica has executed the same instance.</summary>
    public static async Task<bool> WaitUntilAlignedAsync(ChainClient client, TimeSpan max, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(max);
        try
        {
            while (true)
            {
                IReadOnlyDictionary<int, QueryResultMessage> answers = await ProbeAsync(client, deadline.Token);
                if (answers.Count == client.View.N && answers.Values.Select(a => a.ExecutedInstance).Distinct().Count() == 1)
                {
                    return true;
                }

                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Stops the replicas (SIGTERM, then SIGKILL); safe to call twice.</summary>
    public async Task StopAsync()
    {
        if (_running)
        {
            _running = false;
            await TestnetProcesses.StopAllAsync(Folder, _log);
        }
    }

    /// <summary>
    /// Verifies every replica's ledger on its own, as <c>ledger verify</c> does, and reads each one's block at the height
    /// they all hold.
    /// </summary>
    public IReadOnlyList<ReplicaLedger> VerifyAll()
    {
        var ledgers = new List<ReplicaLedger>();
        var dataDirs = new List<string>();
        foreach (string home in TestnetProcesses.Homes(Folder))
        {
            NodeConfig config = NodeConfig.Load(Path.Combine(home, NodeConfig.FileName));
            string dataDir = config.DataDir;
            int id = config.ReplicaId;
            VerifyReport report;
            try
            {
                using BlockStore store = BlockStore.OpenReadOnly(dataDir);
                report = LedgerVerifier.Verify(store, Genesis, CoinApplication.ForGenesis(Genesis));
            }
            catch (LedgerCorruptException e)
            {
                report = new VerifyReport(e.BlockNumber, 0, default, e.BlockNumber, e.Reason, TimeSpan.Zero);
            }

            ledgers.Add(new ReplicaLedger(id, report));
            dataDirs.Add(dataDir);
        }

        long common = ledgers.Count == 0 ? 0 : ledgers.Min(l => l.Report.Blocks) - 1;
        for (int i = 0; i < ledgers.Count; i++)
        {
            try
            {
                using BlockStore store = BlockStore.OpenReadOnly(dataDirs[i]);
                ledgers[i] = ledgers[i] with { CommonHeight = common, HashAtCommonHeight = common >= 0 && common <= store.Height ? store.Read(common).Hash : null };
            }
            catch (Exception e) when (e is LedgerCorruptException or IOException)
            {
                ledgers[i] = ledgers[i] with { CommonHeight = common };
            }
        }

        return ledgers;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{TestnetProcesses.Homes(Folder).Count} replicas in {Folder}");
}
