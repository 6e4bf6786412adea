using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Tests;

public class TestnetInitTests
{
    [Fact]
    public async Task Testnet_init_creates_genesis_homes_and_wallets_that_load_back()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        CliRun run = await CliRun.AsProcessAsync("testnet", "init", "--dir", net, "--replicas", "4", "--minters", "2");
        Assert.True(run.ExitCode == 0, run.Error);

        GenesisDocument genesis = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        Assert.Contains(genesis.Hash.ToString(), run.Output, StringComparison.Ordinal);
        Assert.Equal((4, 1, 3), (genesis.InitialView.N, genesis.InitialView.F, genesis.InitialView.Q));
        Assert.Equal(PersistenceMode.Strong, genesis.Persistence);

        for (int i = 0; i < 4; i++)
        {
            string home = Path.Combine(net, $"node{i}");
            NodeConfig config = NodeConfig.Load(Path.Combine(home, "node.json"));
            Assert.Equal(i, config.ReplicaId);
            Assert.Equal(Path.Combine(net, "genesis.json"), config.Genesis);
            Assert.True(Directory.Exists(config.DataDir));
            Assert.Equal(genesis.InitialView.Members[i].ReplicaEndpoint, config.Listen);
            Assert.Equal(genesis.InitialView.Members[i].ClientEndpoint, config.ClientListen);
            using Ed25519KeyPair key = KeyFile.Load(config.KeyFile);
            Assert.Equal(genesis.InitialView.Members[i].PublicKey, key.PublicKey);
        }

        Assert.Equal(2, genesis.Minters.Count);
        for (int k = 0; k < 2; k++)
        {
            using Ed25519KeyPair minter = KeyFile.Load(Path.Combine(net, "wallets", $"minter{k}.key"));
            Assert.Equal(genesis.Minters[k], minter.PublicKey);
        }

        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Path), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Fact]
    public void A_second_init_is_refused_and_force_replaces_the_testnet_but_keeps_other_files()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", net).ExitCode);
        GenesisDocument first = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        File.WriteAllText(Path.Combine(net, "notes.txt"), "mine");

        CliRun again = CliRun.InProcess("testnet", "init", "--dir", net);
        Assert.Equal(1, again.ExitCode);
        Assert.Equal($"error: {net} is not empty; choose another --dir, or add --force to replace the testnet in it", again.Error.Trim());
        Assert.Equal(first.Hash, GenesisJson.Load(Path.Combine(net, "genesis.json")).Hash);

        CliRun forced = CliRun.InProcess("testnet", "init", "--dir", net, "--force", "--replicas", "7", "--persistence", "weak");
        Assert.Equal(0, forced.ExitCode);
        GenesisDocument second = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        Assert.NotEqual(first.Hash, second.Hash);
        Assert.Equal((7, 2, 5), (second.InitialView.N, second.InitialView.F, second.InitialView.Q));
        Assert.Equal(PersistenceMode.Weak, second.Persistence);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(net, "notes.txt")));
        Assert.Equal(7, Directory.GetDirectories(net, "node*").Length);
    }

    [Theory]
    [InlineData("--replicas", "3", "--replicas 3: a network needs 4 to 128 replicas")]
    [InlineData("--base-port", "65530", "--base-port 65530: replicas need ports 65530..65537, within 1..65535")]
    [InlineData("--chain-id", "Bad Name", "--chain-id \"Bad Name\" contains 'B'")]
    [InlineData("--checkpoint-period", "0", "--checkpoint-period 0: must be at least 2 blocks")]
    public void Bad_options_are_refused_with_one_line_and_nothing_is_created(string option, string value, string message)
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        CliRun run = CliRun.InProcess("testnet", "init", "--dir", net, option, value);
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: {message}", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(net));
    }

    [Fact]
    public void Ports_follow_the_base_port()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", net, "--base-port", "31000", "--checkpoint-period", "50").ExitCode);
        GenesisDocument genesis = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        Assert.Equal([31000, 31002, 31004, 31006], genesis.InitialView.Members.Select(m => m.Port));
        Assert.Equal([31001, 31003, 31005, 31007], genesis.InitialView.Members.Select(m => m.ClientPort));
        Assert.Equal(50, genesis.CheckpointPeriod);
    }

    [Fact]
    public void Hosts_put_each_replica_at_its_own_address_and_a_wrong_count_is_refused()
    {
        using var dir = new TempDirectory();
        string net = dir.Combine("net");
        CliRun wrong = CliRun.InProcess("testnet", "init", "--dir", net, "--hosts", "10.0.0.1,10.0.0.2");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("error: --hosts names 2 address(es) for 4 replicas: give one per replica, replica 0's first", wrong.Error.Trim());
        Assert.False(Directory.Exists(net));

        CliRun run = CliRun.InProcess("testnet", "init", "--dir", net, "--hosts", "10.0.0.1,10.0.0.2,node3.example,10.0.0.4", "--base-port", "27000");
        Assert.True(run.ExitCode == 0, run.Error);
        GenesisDocument genesis = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        Assert.Equal(["10.0.0.1", "10.0.0.2", "node3.example", "10.0.0.4"], genesis.InitialView.Members.Select(m => m.Host));
        Assert.Equal("10.0.0.2:27002", NodeConfig.Load(Path.Combine(net, "node1", "node.json")).Listen);
    }
}
