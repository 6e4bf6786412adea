using SmartChain.Client;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Node;

namespace SmartChain.Cli.Members;

/// <summary>
/// Runs a join for a replica home: JOIN with the payload for the join policy, the votes, the join certificate, and the
/// view that admitted the replica saved in its data folder, where the replica finds whom to catch up from when it starts.
/// </summary>
internal static class Joiner
{
    public static async Task<View> JoinAsync(string home, GenesisDocument genesis, ReadOnlyMemory<byte> payload, IReadOnlyList<string> peers, TextWriter output,
        CancellationToken cancellationToken)
    {
        NodeConfig config = NodeConfig.Load(Path.Combine(home, NodeConfig.FileName));
        using Ed25519KeyPair identity = KeyFile.Load(config.KeyFile);
        var join = ReplicaHome.JoinOf(config, payload);
        await using ChainClient client = await ChainClient.ConnectAsync(genesis, identity, new ClientOptions { Peers = peers }, cancellationToken);
        output.WriteLine($"replica {config.ReplicaId} ({identity.PublicKey}) asks to join {client.View} (members {client.View.MemberList})");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        View admitted = await Membership.JoinAsync(client, genesis.ChainId, identity, join,
            line => output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"  {line} ({clock.Elapsed.TotalSeconds:0.00} s)")), cancellationToken);
        string bootstrap = Path.Combine(config.DataDir, ReplicaHost.BootstrapViewFileName);
        Directory.CreateDirectory(config.DataDir);
        await File.WriteAllBytesAsync(bootstrap, admitted.Encode(), cancellationToken);
        output.WriteLine($"joined: replica {config.ReplicaId} is a member of {admitted} (members {admitted.MemberList}); it catches up by state transfer when it starts");
        return admitted;
    }

    /// <summary>The client endpoints of a comma-separated --peers value.</summary>
    public static IReadOnlyList<string> ParsePeers(string? value) =>
        string.IsNullOrWhiteSpace(value) ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
