using System.CommandLine;

namespace SmartChain.Cli.Tests;

/// <summary>
/// Issue 17, item 5: every command refuses a bad value with one line on standard error naming the option, exit code 1,
/// no stack trace, before it contacts any replica or creates any file. The network's ports are held by listeners that
/// never accept, so a command that connected anyway is caught; the test folder's file tree is compared before and after.
/// </summary>
public sealed class BadInputTests(BadInputNetwork network) : IClassFixture<BadInputNetwork>
{
    private const string Coin = "--network {genesis} --wallet {wallet}";

    public static TheoryData<string, string> CoinCases => new()
    {
        { $"coin spend {Coin} --to {{key}} --amount 0", "--amount 0: give a whole number of at least 1" },
        { $"coin spend {Coin} --to nothex --amount 5", "--to nothex: neither a 64-hex public key nor a key file" },
        { $"coin spend {Coin} --to {{key}} --amount -1", "--amount -1: give a whole number of at least 1" },
        { $"coin spend {Coin} --to {{key}} --amount 1.5", "--amount 1.5: give a whole number of at least 1" },
        { $"coin spend {Coin} --to {{key}}", "Option '--amount' is required (see 'smartchain coin spend --help')" },
        { $"coin mint {Coin} --amount 0", "--amount 0: give a whole number of at least 1" },
        { $"coin mint {Coin} --amount 5 --to zz", "--to zz: neither a 64-hex public key nor a key file" },
        { "coin balance --network {root}/missing.json --wallet {wallet}", "--network {root}/missing.json: no such file" },
        { "coin coins --network {genesis} --wallet {root}/missing.key", "--wallet {root}/missing.key: no such file" },
        { $"coin balance {Coin} --peers nohost", "--peers nohost: give host:port" },
        { $"coin balance {Coin} --peers 127.0.0.1:99999", "--peers 127.0.0.1:99999: give host:port" },
    };

    public static TheoryData<string, string> NodeCases => new()
    {
        { "node run --home {root}/missing", "--home {root}/missing: not a replica home (no node.json)" },
        { "node run --home {home} --metrics-port 70000", "--metrics-port 70000: give a whole number from 0 to 65535" },
        { "node run --home {home} --log-level loud", "--log-level loud: give one of trace, debug, information, warning, error, critical, none" },
        { "node run --home {home} --ledger fast", "--ledger fast: give one of blockchain, naive-sync, naive-async, none" },
        { "node join --home {root}/new --network {genesis} --id 9 --listen nonsense --client-listen 127.0.0.1:1", "--listen nonsense: give host:port" },
        { "node join --home {root}/new --network {root}/missing.json", "--network {root}/missing.json: no such file" },
        { "node join --home {root}/new --network {genesis} --endorsement {root}/missing.e", "--endorsement {root}/missing.e: no such file" },
        { "node join --home {root}/new --network {genesis} --id 9 --listen 127.0.0.1:1 --client-listen 127.0.0.1:2 --key-chain-length 0", "--key-chain-length 0: give a whole number from 1 to" },
        { "node join --home {root}/new --network {genesis} --id -2 --listen 127.0.0.1:1 --client-listen 127.0.0.1:2", "--id -2: give a whole number of at least 0" },
        { "node endorse --home {home} --joiner nothex --id 5 --out {root}/e.json", "--joiner nothex: neither a 64-hex public key nor a key file" },
        { "node endorse --home {home} --joiner {key} --id -1 --out {root}/e.json", "--id -1: give a whole number of at least 0" },
        { "node endorse --home {home} --joiner {key} --id 5 --out {root}/nofolder/e.json", "--out {root}/nofolder/e.json: no folder {root}/nofolder" },
        { "node leave --home {root}/missing", "--home {root}/missing: not a replica home (no node.json)" },
        { "node leave --home {home} --peers a:b", "--peers a:b: give host:port" },
        { "node run --home {home} --parent-pid 0", "--parent-pid 0: give a whole number of at least 1" },
        { "node exclude --home {home} --id -1", "--id -1: give a whole number of at least 0" },
        { "node exclude --home {home}", "Option '--id' is required (see 'smartchain node exclude --help')" },
    };

    public static TheoryData<string, string> OtherCases => new()
    {
        { "keys show --key {root}/missing.key", "--key {root}/missing.key: no such file" },
        { "testnet init --dir {root}/t --host bad!host", "--host bad!host: not an IP address or host name" },
        { "testnet init --dir {root}/t --replicas four", "--replicas four: give a whole number" },
        { "testnet start --dir {root}/missing", "--dir {root}/missing: not a testnet folder (no genesis.json)" },
        { "testnet start --dir {net} --timeout 0", "--timeout 0: give a whole number from 1 to 86400" },
        { "testnet start --dir {net} --node 9", "--node 9: {net} has no replica 9 (no node9/node.json)" },
        { "testnet stop --dir {root}/missing", "--dir {root}/missing: not a testnet folder (no genesis.json)" },
        { "testnet join --dir {net} --id -1", "--id -1: give a whole number of at least 0" },
        { "ledger verify --home {root}/missing", "--home {root}/missing: not a replica home (no node.json)" },
        { "ledger show --home {home} --block -1", "--block -1: give a whole number of at least 0" },
        { "receipt verify {root}/missing.receipt --network {genesis}", "FILE {root}/missing.receipt: no such file" },
        { "receipt verify {wallet} --network {root}/missing.json", "--network {root}/missing.json: no such file" },
        { "frobnicate", "'frobnicate'" },
    };

    public static TheoryData<string, string> DemoAndBenchCases => new()
    {
        { "demo --dir {root}/demo --replicas 3", "--replicas 3: give a whole number from 4 to 128" },
        { "demo --dir {root}/demo --duration 0", "--duration 0: give a whole number from 1 to 86400" },
        { "demo --dir {root}/demo --clients 0", "--clients 0: give a whole number from 1 to" },
        { "demo --dir {root}/demo --kill-leader-at soon", "--kill-leader-at soon: give seconds, like 10s" },
        { "demo --dir {root}/demo --persistence medium", "--persistence medium: give one of strong, weak" },
        { "bench --out {root}/bench --clients 0", "--clients 0: give a whole number from 1 to" },
        { "bench --out {root}/bench --only nosuch", "--only nosuch: give one of" },
        { "bench --out {root}/bench --operations burn", "--operations burn: give one of mint, spend" },
        { "bench --out {root}/bench --network {root}/missing.json", "--network {root}/missing.json: no such file" },
        { "bench --out {root}/bench --duration 0", "--duration 0: give a whole number from 1 to 86400" },
        { "bench --out {root}/bench --runs 0", "--runs 0: give a whole number from 1 to" },
        { "bench --out {root}/bench --replicas 3", "--replicas 3: give a whole number from 4 to 128" },
    };

    [Theory]
    [MemberData(nameof(CoinCases))]
    public void Coin_commands_refuse_bad_values_before_contacting_anyone(string commandLine, string expected) => AssertRefused(commandLine, expected);

    [Theory]
    [MemberData(nameof(NodeCases))]
    public void Node_commands_refuse_bad_values_before_doing_anything(string commandLine, string expected) => AssertRefused(commandLine, expected);

    [Theory]
    [MemberData(nameof(OtherCases))]
    public void Keys_testnet_ledger_and_receipt_commands_refuse_bad_values(string commandLine, string expected) => AssertRefused(commandLine, expected);

    [Theory]
    [MemberData(nameof(DemoAndBenchCases))]
    public void Demo_and_bench_refuse_bad_values_before_starting_replicas(string commandLine, string expected) => AssertRefused(commandLine, expected);

    // The checks must not refuse what is right: command lines the docs and the other tests use parse without an error.
    [Theory]
    [InlineData($"coin spend {Coin} --to {{wallet}} --amount 300 --peers 127.0.0.1:27001,localhost:27003")]
    [InlineData($"coin mint {Coin} --amount 18446744073709551615 --to {{key}}")]
    [InlineData("bench --only strong seq-sync --operations spend --clients 2 4 --runs 1 --duration 1 --out {root}/b")]
    [InlineData("bench --only strong --operations spend --replicas 7 --clients 64 --out {root}/b")]
    [InlineData("demo --duration 12 --clients 4 --kill-leader-at 4s --grow-to 5 --persistence weak --replicas 4")]
    [InlineData("demo --kill-leader-at 2.5")]
    [InlineData("node run --home {home} --log-level Debug --metrics-port 9464 --ledger naive-sync")]
    [InlineData("node join --home {root}/new --network {genesis} --id 9 --listen 10.0.0.5:27000 --client-listen [::1]:27001 --key-chain-length 4")]
    [InlineData("node endorse --home {home} --joiner {wallet} --id 5 --out {root}/e.json")]
    [InlineData("testnet init --dir {root}/t --hosts 10.0.0.1,host-b.example,10.0.0.3,10.0.0.4 --replicas 4")]
    [InlineData("testnet start --dir {net} --node 3 --timeout 30")]
    [InlineData("ledger show --home {home} --block 0")]
    [InlineData("receipt verify {wallet} --network {genesis}")]
    public void Good_values_are_accepted(string commandLine)
    {
        ParseResult parse = Program.CreateRoot().Parse(network.Expand(commandLine.Split(' ')));
        Assert.True(parse.Errors.Count == 0, string.Join("; ", parse.Errors.Select(e => e.Message)));
    }

    [Fact]
    public async Task The_executable_refuses_a_zero_amount_with_one_line_and_no_stack_trace()
    {
        IReadOnlyList<string> before = network.Tree();
        CliRun run = await CliRun.AsProcessAsync(network.Expand($"coin spend {Coin} --to {{key}} --amount 0".Split(' ')));
        AssertOneLine(run, "--amount 0: give a whole number of at least 1");
        Assert.False(network.Contacted(), "the command connected to a replica");
        Assert.Equal(before, network.Tree());
    }

    [Fact]
    public async Task The_executable_refuses_an_unknown_option_with_one_line_and_no_help_text()
    {
        CliRun run = await CliRun.AsProcessAsync("keys", "show", "--kee", network.Wallet);
        AssertOneLine(run, "'--kee'");
    }

    private void AssertRefused(string commandLine, string expected)
    {
        IReadOnlyList<string> before = network.Tree();
        CliRun run = CliRun.InProcess(network.Expand(commandLine.Split(' ')));
        AssertOneLine(run, network.Expand([expected])[0]);
        Assert.False(network.Contacted(), "the command connected to a replica");
        Assert.Equal(before, network.Tree());
    }

    private static void AssertOneLine(CliRun run, string expected)
    {
        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}\nstderr: {run.Error}\nstdout: {run.Output}");
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }
}
