using Microsoft.Extensions.Logging.Abstractions;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Network.Client;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Keys;
using SmartChain.Reconfiguration.Operations;

namespace SmartChain.Node.Tests;

/// <summary>
/// Replica hosts in this process whose membership changes: every replica has an identity key and a forward-secure key
/// chain on disk, as <c>testnet init</c> and <c>node join</c> make them; joins, leaves and exclusions go through a real
/// client over real links.
/// </summary>
public sealed class ReconfiguringNetwork : IAsyncDisposable
{
    public const int ChainLength = 16;

    private readonly Dictionary<int, (NodeConfig Config, Ed25519KeyPair Identity)> _replicas = [];

    public ReconfiguringNetwork(int n = 4, PersistenceMode persistence = PersistenceMode.Strong, long checkpointPeriod = 1000,
        ReconfigurationParameters? reconfiguration = null, Func<int, ReplicaOptions?>? optionsOf = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "smartchain-node-tests", Guid.NewGuid().ToString("N"));
        Minter = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)99, 32).ToArray());
        var members = new List<ReplicaMember>();
        var keys = new Dictionary<int, IReadOnlyList<Ed25519PublicKey>>();
        for (int i = 0; i < n; i++)
        {
            (ReplicaMember member, IReadOnlyList<Ed25519PublicKey> chain) = CreateHome(i, firstView: 0);
            members.Add(member);
            keys[i] = chain;
        }

        Genesis = new GenesisDocument(Chain, persistence, new View(0, members), ConsensusParameters.Default with { MaxBatch = 256 }, checkpointPeriod,
            [Minter.PublicKey], keys, reconfiguration);
        for (int i = 0; i < n; i++)
        {
            Start(i, optionsOf?.Invoke(i));
        }
    }

    /// <summary>A chain id of its own, so networks running side by side never mix.</summary>
    public string Chain { get; } = $"reconf-test-{Guid.NewGuid():N}"[..24];

    public string Folder { get; }

    public GenesisDocument Genesis { get; }

    public Ed25519KeyPair Minter { get; }

    public Dictionary<int, ReplicaHost> Hosts { get; } = [];

    public Microsoft.Extensions.Logging.ILoggerFactory? Loggers { get; set; }

    public string Home(int id) => Path.Combine(Folder, $"node{id}");

    public string DataDir(int id) => Path.Combine(Home(id), "data");

    public Ed25519KeyPair Identity(int id) => _replicas[id].Identity;

    public string IdentityFile(int id) => Path.Combine(Home(id), "replica.key");

    public string KeyChainFile(int id) => Path.Combine(Home(id), ViewKeyChain.DefaultFileName);

    public ReplicaHost Start(int id, ReplicaOptions? options = null)
    {
        (NodeConfig config, Ed25519KeyPair identity) = _replicas[id];
        ReplicaHost host = ReplicaHost.Start(config, Genesis, identity, g => CoinApplication.ForGenesis(g), Loggers ?? NullLoggerFactory.Instance, options ?? ReplicaOptions.Default);
        Hosts[id] = host;
        return host;
    }

    public async Task StopAsync(int id)
    {
        if (Hosts.Remove(id, out ReplicaHost? host))
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>A client of its own, starting from genesis and following the views.</summary>
    public async Task<ChainClient> ClientAsync(CancellationToken cancellationToken, IReadOnlyList<string>? peers = null)
    {
        using var key = Ed25519KeyPair.Generate();
        return await ChainClient.ConnectAsync(Genesis, key, new ClientOptions { Peers = peers ?? [], RequestTimeout = TimeSpan.FromSeconds(30) }, cancellationToken);
    }

    /// <summary>
    /// Creates replica <paramref name="id"/>'s home and joins it with an endorsement by <paramref name="endorser"/>, then
    /// starts it; returns the view that admitted it.
    /// </summary>
    public async Task<View> JoinAsync(int id, int endorser, CancellationToken cancellationToken, byte[]? payload = null, ReplicaOptions? options = null)
    {
        (ReplicaMember member, IReadOnlyList<Ed25519PublicKey> chain) = CreateHome(id, firstView: 0);
        Ed25519KeyPair identity = _replicas[id].Identity;
        payload ??= CoinJoinPolicy.Endorse(Chain, endorser, Identity(endorser), identity.PublicKey, id);
        var join = new JoinOperation(id, member.Host, member.Port, member.ClientPort, chain, payload);
        await using ChainClient client = await ClientAsync(cancellationToken);
        View admitted = await Membership.JoinAsync(client, Chain, identity, join, null, cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(DataDir(id), ReplicaHost.BootstrapViewFileName), admitted.Encode(), cancellationToken);
        Start(id, options);
        return admitted;
    }

    /// <summary>MINTs <paramref name="count"/> coins through <paramref name="client"/>, each executed.</summary>
    public async Task MintAsync(ChainClient client, int count)
    {
        var minter = new CoinWallet(Chain, Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (int i = 0; i < count; i++)
        {
            ReplyMessage reply = await client.SubmitAsync(minter.Mint([new CoinOutput(Minter.PublicKey, 10)]), timeout.Token);
            Assert.Equal(ReplyStatus.Executed, reply.Status);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (int id in Hosts.Keys.ToList())
        {
            await StopAsync(id);
        }

        foreach ((NodeConfig _, Ed25519KeyPair identity) in _replicas.Values)
        {
            identity.Dispose();
        }

        Minter.Dispose();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    // A home as testnet init or node join leaves it: identity key in memory, key chain file, data folder, free ports.
    private (ReplicaMember Member, IReadOnlyList<Ed25519PublicKey> Chain) CreateHome(int id, long firstView)
    {
        Directory.CreateDirectory(DataDir(id));
        int[] ports = TestPorts.Free(2);
        var identity = Ed25519KeyPair.Generate();
        KeyFile.Save(identity, IdentityFile(id)); // on disk, as in a real home: an attacker of a retired replica gets it
        string chainFile = KeyChainFile(id);
        using ViewKeyChain chain = ViewKeyChain.Create(chainFile, ChainLength);
        var commitment = KeyChainCommitment.Create(chain.PublicKeys, firstView);
        var member = new ReplicaMember(id, "127.0.0.1", ports[0], ports[1], identity.PublicKey, commitment, commitment.Prove(chain.PublicKeys, firstView));
        var config = new NodeConfig(id, "genesis.json", member.ReplicaEndpoint, member.ClientEndpoint, DataDir(id), "unused") { KeyChain = chainFile };
        _replicas[id] = (config, identity);
        return (member, chain.PublicKeys);
    }
}
