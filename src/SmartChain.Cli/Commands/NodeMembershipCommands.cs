using System.CommandLine;
using SmartChain.Cli.Members;
using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Keys;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain node join|endorse|leave|exclude</c>: the members decide who is in the network (SPEC §5).</summary>
internal static class NodeMembershipCommands
{
    private static readonly Option<DirectoryInfo> Home = new("--home")
    {
        Description = "The replica's home folder (node.json, replica.key, keychain.bin, data/).",
        Required = true,
        CustomParser = CliParsers.ReplicaHome,
    };

    // A joiner's home may not exist yet: join creates it.
    private static readonly Option<DirectoryInfo> JoinHome = new("--home")
    {
        Description = "The replica's home folder (node.json, replica.key, keychain.bin, data/); created if it does not hold a replica yet.",
        Required = true,
    };

    private static readonly Option<string?> Peers = new("--peers")
    {
        Description = "Client endpoints (host:port,...) of current members to learn the network's view from, if its genesis members may have left. " +
                      "What they answer is verified from genesis.",
        CustomParser = CliParsers.EndpointList,
    };

    public static void AddTo(Command node)
    {
        node.Add(CreateJoin());
        node.Add(CreateEndorse());
        node.Add(CreateLeave());
        node.Add(CreateExclude());
    }

    private static Command CreateJoin()
    {
        var network = new Option<FileInfo>("--network") { Description = "The network's genesis.json.", Required = true, CustomParser = CliParsers.ExistingFile };
        var id = new Option<int?>("--id") { Description = "The replica id to ask for (a new home only; never one a member has or had).", CustomParser = CliParsers.OptionalWhole(0, int.MaxValue) };
        var listen = new Option<string?>("--listen") { Description = "host:port for replicas (a new home only).", CustomParser = CliParsers.Endpoint };
        var clientListen = new Option<string?>("--client-listen") { Description = "host:port for clients, on the same host (a new home only).", CustomParser = CliParsers.Endpoint };
        var endorsement = new Option<FileInfo?>("--endorsement")
        {
            Description = "An endorsement by a current member ('node endorse'); without it, the joiner's key must be on genesis' join allow-list.",
            CustomParser = CliParsers.ExistingFile,
        };
        var chainLength = new Option<int>("--key-chain-length")
        {
            Description = "Keys in the new home's key chain: the views it can take part in before it must rejoin.",
            DefaultValueFactory = _ => ViewKeyChain.DefaultLength,
            CustomParser = CliParsers.Whole(1, KeyChainCommitment.MaxLength),
        };
        var command = new Command("join", "Ask the network to admit this replica: JOIN, the members' votes, the join certificate. Creates the home if it has none. " +
                                          "Then start it with 'node run'; it catches up by state transfer.")
        {
            JoinHome, network, id, listen, clientListen, endorsement, chainLength, Peers,
        };
        SetAction(command, async (parse, output, ct) =>
        {
            string home = parse.GetRequiredValue(JoinHome).FullName;
            GenesisDocument genesis = GenesisJson.Load(parse.GetRequiredValue(network).FullName);
            if (!File.Exists(Path.Combine(home, NodeConfig.FileName)))
            {
                if (parse.GetValue(id) is not int replicaId || parse.GetValue(listen) is not { } l || parse.GetValue(clientListen) is not { } c)
                {
                    throw new CliException($"{home} has no node.json: a new home needs --id, --listen and --client-listen");
                }

                NodeConfig created = ReplicaHome.Create(home, parse.GetRequiredValue(network).FullName, replicaId, l, c, parse.GetValue(chainLength));
                using Ed25519KeyPair identity = KeyFile.Load(created.KeyFile);
                output.WriteLine($"created {home} for replica {replicaId}: identity key {identity.PublicKey}");
            }

            byte[] payload = CoinJoinPolicy.NoPayload;
            if (parse.GetValue(endorsement) is { } file)
            {
                EndorsementFile endorsed = EndorsementFile.Load(file.FullName);
                NodeConfig config = NodeConfig.Load(Path.Combine(home, NodeConfig.FileName));
                using Ed25519KeyPair identity = KeyFile.Load(config.KeyFile);
                if (endorsed.Joiner != identity.PublicKey || endorsed.ReplicaId != config.ReplicaId || endorsed.ChainId != genesis.ChainId)
                {
                    throw new CliException($"{file.FullName} endorses replica {endorsed.ReplicaId} with key {endorsed.Joiner} on {endorsed.ChainId}, not this replica {config.ReplicaId} ({identity.PublicKey}) on {genesis.ChainId}");
                }

                payload = endorsed.Payload;
            }

            await Joiner.JoinAsync(home, genesis, payload, Joiner.ParsePeers(parse.GetValue(Peers)), output, ct);
            output.WriteLine($"start it: smartchain node run --home {home}");
        });
        return command;
    }

    private static Command CreateEndorse()
    {
        var joiner = new Option<string>("--joiner")
        {
            Description = "The joiner's identity key: 64 hex digits, or its key file (replica.key).",
            Required = true,
            CustomParser = CliParsers.PublicKeyOrKeyFile,
        };
        var id = new Option<int>("--id") { Description = "The replica id the joiner asks for.", Required = true, CustomParser = CliParsers.Whole(0, int.MaxValue) };
        var outFile = new Option<FileInfo>("--out")
        {
            Description = "Where to write the endorsement (hand it to the joiner's operator); its folder must exist.",
            Required = true,
            CustomParser = CliParsers.FileToWrite,
        };
        var command = new Command("endorse", "As a member (--home), endorse a node that wants to join: SMaRtCoin's join policy admits a joiner a member endorses.")
        {
            Home, joiner, id, outFile,
        };
        CommandRunner.SetAction(command, (parse, output) =>
        {
            NodeConfig config = NodeConfig.Load(Path.Combine(parse.GetRequiredValue(Home).FullName, NodeConfig.FileName));
            GenesisDocument genesis = GenesisJson.Load(config.Genesis);
            using Ed25519KeyPair identity = KeyFile.Load(config.KeyFile);
            string value = parse.GetRequiredValue(joiner);
            Ed25519PublicKey joinerKey;
            if (!Ed25519PublicKey.TryParse(value, out joinerKey))
            {
                using Ed25519KeyPair pair = File.Exists(value) ? KeyFile.Load(value) : throw new CliException($"--joiner \"{value}\" is neither a 64-hex public key nor a key file");
                joinerKey = pair.PublicKey;
            }

            int replicaId = parse.GetValue(id);
            byte[] signature = identity.Sign(CoinJoinPolicy.Statement(genesis.ChainId, joinerKey, replicaId));
            string path = parse.GetRequiredValue(outFile).FullName;
            new EndorsementFile(genesis.ChainId, config.ReplicaId, joinerKey, replicaId, signature).Save(path);
            output.WriteLine($"replica {config.ReplicaId} endorses {joinerKey} as replica {replicaId}: {path}");
            return CommandRunner.Success;
        });
        return command;
    }

    private static Command CreateLeave()
    {
        var command = new Command("leave", "Leave the network: a LEAVE signed with this replica's identity key. The running replica stops taking part and erases " +
                                           "its view keys once the reconfiguration block is certified.")
        {
            Home, Peers,
        };
        SetAction(command, async (parse, output, ct) =>
        {
            (NodeConfig config, GenesisDocument genesis, Ed25519KeyPair identity, ChainClient client) = await ConnectAsync(parse, ct);
            await using (client)
            using (identity)
            {
                View view = await Membership.LeaveAsync(client, genesis.ChainId, identity, config.ReplicaId, ct);
                output.WriteLine($"replica {config.ReplicaId} left: {view} (members {view.MemberList}) is in force");
            }
        });
        return command;
    }

    private static Command CreateExclude()
    {
        var target = new Option<int>("--id") { Description = "The member to exclude.", Required = true, CustomParser = CliParsers.Whole(0, int.MaxValue) };
        var command = new Command("exclude", "As a member (--home), vote to exclude another member; f+1 members' votes remove it. Votes expire (genesis " +
                                             "reconfiguration.exclusionExpiryInstances) and survive restarts.")
        {
            Home, target, Peers,
        };
        SetAction(command, async (parse, output, ct) =>
        {
            (NodeConfig config, GenesisDocument genesis, Ed25519KeyPair identity, ChainClient client) = await ConnectAsync(parse, ct);
            await using (client)
            using (identity)
            {
                SystemResult result = await Membership.ExcludeAsync(client, genesis.ChainId, identity, parse.GetValue(target), ct);
                output.WriteLine(result.Code == SystemResultCode.ViewInstalled
                    ? $"replica {parse.GetValue(target)} is excluded: {result.View} (members {result.View!.MemberList}) is in force"
                    : $"replica {config.ReplicaId}'s vote to exclude replica {parse.GetValue(target)} is counted: {result.Votes} of the {result.Needed} needed");
            }
        });
        return command;
    }

    // A member's client: its own replica (if it runs) is asked for the current view first.
    private static async Task<(NodeConfig, GenesisDocument, Ed25519KeyPair, ChainClient)> ConnectAsync(ParseResult parse, CancellationToken ct)
    {
        NodeConfig config = NodeConfig.Load(Path.Combine(parse.GetRequiredValue(Home).FullName, NodeConfig.FileName));
        GenesisDocument genesis = GenesisJson.Load(config.Genesis);
        Ed25519KeyPair identity = KeyFile.Load(config.KeyFile);
        try
        {
            IReadOnlyList<string> peers = [.. Joiner.ParsePeers(parse.GetValue(Peers)), config.ClientListen];
            ChainClient client = await ChainClient.ConnectAsync(genesis, identity, new ClientOptions { Peers = peers }, ct);
            return (config, genesis, identity, client);
        }
        catch
        {
            identity.Dispose();
            throw;
        }
    }

    private static void SetAction(Command command, Func<ParseResult, TextWriter, CancellationToken, Task> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                await body(parse, parse.InvocationConfiguration.Output, cancellationToken);
                return CommandRunner.Success;
            }
            catch (Exception e) when (e is CliException or KeyFileException or GenesisException or ChainClientException or InvalidDataException or IOException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                return CommandRunner.Failure;
            }
        });
    }
}
