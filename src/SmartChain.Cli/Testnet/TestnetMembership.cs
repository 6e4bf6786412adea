using System.Globalization;
using SmartChain.Cli.Members;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;

namespace SmartChain.Cli.Testnet;

/// <summary>
/// Growing a local testnet (SPEC §5): a new home beside the others (free ports, its own identity and key chain), endorsed
/// by the lowest member of the current view whose home is in the folder, joined through the network, and started.
/// </summary>
internal static class TestnetMembership
{
    /// <summary>Client endpoints of every home in the folder: whoever runs among them can prove the current view.</summary>
    public static IReadOnlyList<string> Peers(string folder) =>
        [.. TestnetProcesses.Homes(folder).Select(h => NodeConfig.Load(Path.Combine(h, NodeConfig.FileName)).ClientListen)];

    /// <summary>Joins replica <paramref name="id"/> (default: one above the highest id in the folder) and starts it unless told not to.</summary>
    public static async Task<(string Home, View Admitted, TimeSpan Joining)> JoinAsync(string folder, int? id, bool start, IReadOnlyList<string> nodeArgs, TextWriter output,
        CancellationToken cancellationToken)
    {
        GenesisDocument genesis = GenesisJson.Load(Path.Combine(folder, TestnetInitializer.GenesisFileName));
        IReadOnlyList<string> homes = TestnetProcesses.Homes(folder);
        var configs = homes.Select(h => NodeConfig.Load(Path.Combine(h, NodeConfig.FileName))).ToList();
        int replicaId = id ?? (configs.Max(c => c.ReplicaId) + 1);
        string home = Path.Combine(folder, TestnetInitializer.NodeFolder(replicaId));
        IReadOnlyList<string> peers = Peers(folder);

        View current;
        using (Ed25519KeyPair probe = Ed25519KeyPair.Generate())
        {
            await using ChainClient client = await ChainClient.ConnectAsync(genesis, probe, new ClientOptions { Peers = peers }, cancellationToken);
            current = client.View;
        }

        NodeConfig endorser = configs.Where(c => current.Contains(c.ReplicaId)).OrderBy(c => c.ReplicaId).FirstOrDefault()
            ?? throw new CliException($"no member of {current} has its home in {folder}, so none can endorse a joiner here");
        string host = current.Members.First(m => m.Id == endorser.ReplicaId).Host;
        int port = FreePorts.Range(2);
        NodeConfig created = ReplicaHome.Create(home, Path.Combine(folder, TestnetInitializer.GenesisFileName), replicaId,
            string.Create(CultureInfo.InvariantCulture, $"{host}:{port}"), string.Create(CultureInfo.InvariantCulture, $"{host}:{port + 1}"), Reconfiguration.Keys.ViewKeyChain.DefaultLength);
        byte[] payload;
        using (Ed25519KeyPair joiner = KeyFile.Load(created.KeyFile))
        using (Ed25519KeyPair endorsing = KeyFile.Load(endorser.KeyFile))
        {
            payload = CoinJoinPolicy.Endorse(genesis.ChainId, endorser.ReplicaId, endorsing, joiner.PublicKey, replicaId);
        }

        output.WriteLine($"created {home} (replica {replicaId}, {created.Listen}); endorsed by replica {endorser.ReplicaId}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        View admitted = await Joiner.JoinAsync(home, genesis, payload, peers, output, cancellationToken);
        TimeSpan joining = clock.Elapsed;
        if (start)
        {
            int pid = TestnetProcesses.Launch(home, nodeArgs);
            output.WriteLine($"started {Path.GetFileName(home)} (pid {pid}, log: {Path.Combine(home, TestnetProcesses.LogFileName)})");
            await TestnetProcesses.WaitUntilConnectedAsync(genesis, new Dictionary<string, int> { [home] = pid }, output, TimeSpan.FromSeconds(60), Peers(folder));
        }

        return (home, admitted, joining);
    }
}
