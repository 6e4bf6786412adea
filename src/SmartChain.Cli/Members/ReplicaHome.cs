using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Keys;
using SmartChain.Reconfiguration.Operations;

namespace SmartChain.Cli.Members;

/// <summary>
/// The home folder of a replica that is to join a network: its identity key (replica.key), its forward-secure key chain
/// (keychain.bin), node.json and data/, as <c>testnet init</c> makes them for genesis members.
/// </summary>
internal static class ReplicaHome
{
    /// <summary>Creates <paramref name="home"/> (which must not hold a replica yet) for replica <paramref name="id"/>.</summary>
    /// <exception cref="CliException">The folder already holds a replica, or an address is malformed.</exception>
    public static NodeConfig Create(string home, string genesisPath, int id, string listen, string clientListen, int chainLength)
    {
        if (File.Exists(Path.Combine(home, NodeConfig.FileName)))
        {
            throw new CliException($"{home} already holds a replica (node.json); join with it as it is, or choose another --home");
        }

        if (id < 0)
        {
            throw new CliException($"--id {id}: a replica id is 0 or more");
        }

        if (chainLength is < 1 or > KeyChainCommitment.MaxLength)
        {
            throw new CliException($"--key-chain-length {chainLength}: must be 1..{KeyChainCommitment.MaxLength}");
        }

        _ = Endpoint(listen, "--listen");
        _ = Endpoint(clientListen, "--client-listen");
        Directory.CreateDirectory(Path.Combine(home, Testnet.TestnetInitializer.DataFolder));
        using (Ed25519KeyPair identity = Ed25519KeyPair.Generate())
        {
            KeyFile.Save(identity, Path.Combine(home, Testnet.TestnetInitializer.ReplicaKeyFileName));
        }

        using (ViewKeyChain.Create(Path.Combine(home, ViewKeyChain.DefaultFileName), chainLength))
        {
        }

        var config = new NodeConfig(id, Path.GetFullPath(genesisPath), listen, clientListen, Testnet.TestnetInitializer.DataFolder,
            Testnet.TestnetInitializer.ReplicaKeyFileName) { KeyChain = ViewKeyChain.DefaultFileName };
        config.Save(Path.Combine(home, NodeConfig.FileName));
        return NodeConfig.Load(Path.Combine(home, NodeConfig.FileName));
    }

    /// <summary>The JOIN that asks for <paramref name="config"/>'s replica to be admitted, with <paramref name="payload"/> for the join policy.</summary>
    public static JoinOperation JoinOf(NodeConfig config, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.KeyChain is null)
        {
            throw new CliException($"node.json of replica {config.ReplicaId} names no keyChain: a joining replica needs a key chain (create the home with 'node join --id ...')");
        }

        using ViewKeyChain chain = ViewKeyChain.Open(config.KeyChain);
        (string host, int clientPort) = Endpoint(config.ClientListen, "clientListen");
        (string replicaHost, int port) = Endpoint(config.Listen, "listen");
        if (!string.Equals(host, replicaHost, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException($"listen {config.Listen} and clientListen {config.ClientListen} must be on one host: a view lists one host per replica");
        }

        return new JoinOperation(config.ReplicaId, host, port, clientPort, chain.PublicKeys, payload);
    }

    private static (string Host, int Port) Endpoint(string value, string option)
    {
        int colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value.AsSpan(colon + 1), out int port) && port is >= 1 and <= 65535
            ? (value[..colon], port)
            : throw new CliException($"{option} {value}: expected host:port");
    }
}
