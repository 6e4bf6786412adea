using Microsoft.Extensions.Logging.Abstractions;
using SmartChain.Coin;
using SmartChain.Core.Application;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Node;

namespace SmartChain.TestSupport;

/// <summary>Four real replica hosts in this process: real TCP on 127.0.0.1, real files with fsync, real signatures.</summary>
public sealed class InProcessNetwork : IAsyncDisposable
{
    /// <summary>A chain id of its own, so metrics and links of networks running side by side never mix.</summary>
    public string Chain { get; } = $"node-test-{Guid.NewGuid():N}"[..24];

    /// <summary>Starts <paramref name="n"/> replicas running <paramref name="application"/> (SMaRtCoin when null).</summary>
    public InProcessNetwork(int n = 4, PersistenceMode persistence = PersistenceMode.Strong, ReplicaOptions? options = null,
        ConsensusParameters? consensus = null, long checkpointPeriod = 1000, Func<int, ReplicaOptions?>? optionsOf = null,
        ApplicationFactory? application = null)
    {
        Application = application ?? (g => CoinApplication.ForGenesis(g));
        Options = options ?? ReplicaOptions.Default;
        _optionsOf = optionsOf ?? (_ => null);
        Folder = Path.Combine(Path.GetTempPath(), "smartchain-node-tests", Guid.NewGuid().ToString("N"));
        ReplicaKeys = [.. Enumerable.Range(0, n).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(70 + i), 32).ToArray()))];
        Minter = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)99, 32).ToArray());
        int[] ports = TestPorts.Free(2 * n);
        var view = new View(0, Enumerable.Range(0, n).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", ports[2 * i], ports[(2 * i) + 1], ReplicaKeys[i].PublicKey)));
        Genesis = new GenesisDocument(Chain, persistence, view, consensus ?? ConsensusParameters.Default with { MaxBatch = 256 }, checkpointPeriod, [Minter.PublicKey]);
        Hosts = new ReplicaHost?[n];
        for (int i = 0; i < n; i++)
        {
            Start(i);
        }
    }

    /// <summary>Starts replica <paramref name="i"/> on its data folder (a restart if it ran before).</summary>
    public ReplicaHost Start(int i, ReplicaOptions? options = null)
    {
        ReplicaMember member = Genesis.InitialView.Members[i];
        ReplicaHost host = ReplicaHost.Start(new NodeConfig(i, "genesis.json", member.ReplicaEndpoint, member.ClientEndpoint, DataDir(i), "unused"),
            Genesis, ReplicaKeys[i], Application, Loggers ?? NullLoggerFactory.Instance, options ?? _optionsOf(i) ?? Options);
        Hosts[i] = host;
        return host;
    }

    /// <summary>Stops replica <paramref name="i"/>.</summary>
    public async Task StopAsync(int i)
    {
        if (Hosts[i] is { } host)
        {
            await host.DisposeAsync();
            Hosts[i] = null;
        }
    }

    private readonly Func<int, ReplicaOptions?> _optionsOf;

    public string Folder { get; }

    /// <summary>Where the replicas log (none by default); set before starting a replica to capture its lines.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? Loggers { get; set; }

    public ReplicaOptions Options { get; }

    /// <summary>What every replica of this network runs (and what its ledgers replay with).</summary>
    public ApplicationFactory Application { get; }

    public Ed25519KeyPair[] ReplicaKeys { get; }

    public Ed25519KeyPair Minter { get; }

    public GenesisDocument Genesis { get; }

    public ReplicaHost?[] Hosts { get; private set; }

    public string DataDir(int i) => Path.Combine(Folder, $"node{i}", "data");

    /// <summary>
    /// Waits until every running replica has certified the highest block any of them has committed. A client's answer
    /// needs only a quorum, so without this a test that stops the network and compares ledgers may find a slow replica
    /// still behind (or, on a loaded machine, at genesis). Returns that block's number.
    /// </summary>
    public async Task<long> SettleAsync(CancellationToken cancellationToken)
    {
        long head = 0;
        foreach (ReplicaHost? host in Hosts)
        {
            head = Math.Max(head, host?.CommittedHeight ?? 0);
        }

        foreach (ReplicaHost? host in Hosts)
        {
            if (host is not null)
            {
                await host.WaitForCertifiedAsync(head, cancellationToken);
            }
        }

        return head;
    }

    /// <summary>Stops every running replica.</summary>
    public async Task StopAsync()
    {
        for (int i = 0; i < Hosts.Length; i++)
        {
            await StopAsync(i);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (Ed25519KeyPair key in ReplicaKeys)
        {
            key.Dispose();
        }

        Minter.Dispose();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
