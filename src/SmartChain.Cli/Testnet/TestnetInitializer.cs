using System.Text.RegularExpressions;
using SmartChain.Core;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Keys;

namespace SmartChain.Cli.Testnet;

/// <summary>
/// Creates a local network folder: genesis.json, one home per replica (node.json, replica.key, data/) and
/// wallets/ with the minter keys. Everything is first written to a hidden staging folder beside the target and
/// moved into place at the end, so a failure half-way leaves nothing behind.
/// </summary>
internal static partial class TestnetInitializer
{
    public const string GenesisFileName = "genesis.json";
    public const string WalletsFolder = "wallets";
    public const string ReplicaKeyFileName = "replica.key";
    public const string DataFolder = "data";

    public static TestnetResult Initialize(TestnetOptions options)
    {
        Validate(options);
        string target = Path.GetFullPath(options.Directory);
        PrepareTarget(target, options.Force);

        string parent = Path.GetDirectoryName(target.TrimEnd(Path.DirectorySeparatorChar))
            ?? throw new CliException($"cannot create a testnet at the file-system root {target}");
        string staging = Path.Combine(parent, $".{Path.GetFileName(target.TrimEnd(Path.DirectorySeparatorChar))}.init-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            GenesisDocument genesis = Write(staging, options);
            MoveInto(staging, target);
            return new TestnetResult(
                target,
                Path.Combine(target, GenesisFileName),
                genesis,
                [.. Enumerable.Range(0, options.Replicas).Select(i => Path.Combine(target, NodeFolder(i)))],
                [.. Enumerable.Range(0, options.Minters).Select(k => Path.Combine(target, WalletsFolder, MinterKeyFile(k)))]);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    public static string NodeFolder(int replicaId) => $"node{replicaId}";

    public static string MinterKeyFile(int index) => $"minter{index}.key";

    private static void Validate(TestnetOptions o)
    {
        if (o.Replicas < Limits.MinViewMembers || o.Replicas > Limits.MaxViewMembers)
        {
            throw new CliException($"--replicas {o.Replicas}: a network needs {Limits.MinViewMembers} to {Limits.MaxViewMembers} replicas");
        }

        if (o.BasePort < 1 || o.BasePort + (2 * o.Replicas) - 1 > 65535)
        {
            throw new CliException($"--base-port {o.BasePort}: replicas need ports {o.BasePort}..{o.BasePort + (2 * o.Replicas) - 1}, within 1..65535");
        }

        if (o.Hosts.Count > 0 && o.Hosts.Count != o.Replicas)
        {
            throw new CliException($"--hosts names {o.Hosts.Count} address(es) for {o.Replicas} replicas: give one per replica, replica 0's first");
        }

        if (o.Minters is < 0 or > Limits.MaxMinters)
        {
            throw new CliException($"--minters {o.Minters}: must be 0..{Limits.MaxMinters}");
        }

        if (o.CheckpointPeriod < 2)
        {
            throw new CliException($"--checkpoint-period {o.CheckpointPeriod}: must be at least 2 blocks (every checkpoint-period-th block is a checkpoint block)");
        }

        if (ChainId.Validate(o.ChainId) is { } problem)
        {
            throw new CliException($"--chain-id \"{o.ChainId}\" {problem}");
        }
    }

    private static void PrepareTarget(string target, bool force)
    {
        if (File.Exists(target))
        {
            throw new CliException($"{target} is a file, not a folder");
        }

        if (!Directory.Exists(target) || !Directory.EnumerateFileSystemEntries(target).Any())
        {
            return;
        }

        if (!force)
        {
            throw new CliException($"{target} is not empty; choose another --dir, or add --force to replace the testnet in it");
        }

        // --force replaces only what a testnet consists of; anything else the user keeps there stays.
        File.Delete(Path.Combine(target, GenesisFileName));
        foreach (string dir in Directory.EnumerateDirectories(target))
        {
            string name = Path.GetFileName(dir);
            if (name == WalletsFolder || NodeFolderPattern().IsMatch(name))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static GenesisDocument Write(string root, TestnetOptions o)
    {
        var members = new List<ReplicaMember>();
        var viewKeys = new Dictionary<int, IReadOnlyList<Ed25519PublicKey>>();
        for (int i = 0; i < o.Replicas; i++)
        {
            string home = Directory.CreateDirectory(Path.Combine(root, NodeFolder(i))).FullName;
            Directory.CreateDirectory(Path.Combine(home, DataFolder));
            using Ed25519KeyPair key = Ed25519KeyPair.Generate();
            KeyFile.Save(key, Path.Combine(home, ReplicaKeyFileName));
            using ViewKeyChain chain = ViewKeyChain.Create(Path.Combine(home, ViewKeyChain.DefaultFileName), o.KeyChainLength);
            var commitment = KeyChainCommitment.Create(chain.PublicKeys, 0);
            var member = new ReplicaMember(i, o.Hosts.Count > 0 ? o.Hosts[i] : o.Host, o.BasePort + (2 * i), o.BasePort + (2 * i) + 1, key.PublicKey, commitment, commitment.Prove(chain.PublicKeys, 0));
            members.Add(member);
            viewKeys[i] = chain.PublicKeys;
            new NodeConfig(i, Path.Combine("..", GenesisFileName), member.ReplicaEndpoint, member.ClientEndpoint, DataFolder, ReplicaKeyFileName)
            {
                KeyChain = ViewKeyChain.DefaultFileName,
            }.Save(Path.Combine(home, NodeConfig.FileName));
        }

        string wallets = Directory.CreateDirectory(Path.Combine(root, WalletsFolder)).FullName;
        var minters = new List<Ed25519PublicKey>();
        for (int k = 0; k < o.Minters; k++)
        {
            using Ed25519KeyPair key = Ed25519KeyPair.Generate();
            KeyFile.Save(key, Path.Combine(wallets, MinterKeyFile(k)));
            minters.Add(key.PublicKey);
        }

        var genesis = new GenesisDocument(o.ChainId, o.Persistence, new View(0, members), ConsensusParameters.Default,
            o.CheckpointPeriod, minters, viewKeys, reconfiguration: null, o.JoinPolicy, o.JoinAllowList);
        string genesisPath = Path.Combine(root, GenesisFileName);
        GenesisJson.Save(genesis, genesisPath);

        // Read back through the same validation every replica will run, so a bad genesis never leaves this command.
        GenesisDocument reloaded = GenesisJson.Load(genesisPath);
        return reloaded.Hash == genesis.Hash
            ? reloaded
            : throw new InvalidOperationException("genesis.json did not read back to the same canonical hash");
    }

    private static void MoveInto(string staging, string target)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(staging, target);
            return;
        }

        foreach (string entry in Directory.EnumerateFileSystemEntries(staging))
        {
            string destination = Path.Combine(target, Path.GetFileName(entry));
            if (Directory.Exists(entry))
            {
                Directory.Move(entry, destination);
            }
            else
            {
                File.Move(entry, destination);
            }
        }
    }

    [GeneratedRegex("^node[0-9]+$")]
    private static partial Regex NodeFolderPattern();
}
