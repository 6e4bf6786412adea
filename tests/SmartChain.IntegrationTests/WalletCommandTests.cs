using SmartChain.Cli.Tests;

namespace SmartChain.IntegrationTests;

/// <summary>The README's walkthrough, as a new user types it: init, start, mint, spend, balance, coins, stop.</summary>
public sealed class WalletCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "smartchain-wallet", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Mint_spend_balance_and_coins_work_against_a_started_testnet()
    {
        string net = Path.Combine(_dir, "net");
        Directory.CreateDirectory(_dir);
        Assert.Equal(0, (await CliRun.AsProcessAsync("testnet", "init", "--dir", net, "--base-port", TestPorts.FreeRange(8).ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
        CliRun start = await CliRun.AsProcessAsync("testnet", "start", "--dir", net);
        try
        {
            Assert.True(start.ExitCode == 0, start.Error);
            string genesis = Path.Combine(net, "genesis.json");
            string minter = Path.Combine(net, "wallets", "minter0.key");
            string alice = Path.Combine(_dir, "alice.key");
            Assert.Equal(0, (await CliRun.AsProcessAsync("keys", "new", "--out", alice)).ExitCode);

            CliRun mint = await CliRun.AsProcessAsync("coin", "mint", "--network", genesis, "--wallet", minter, "--amount", "1000");
            Assert.True(mint.ExitCode == 0, mint.Error);
            Assert.StartsWith("minted 1000 to ", mint.Output, StringComparison.Ordinal);

            string receipt = Path.Combine(_dir, "pay.receipt");
            CliRun spend = await CliRun.AsProcessAsync("coin", "spend", "--network", genesis, "--wallet", minter, "--to", alice, "--amount", "300", "--receipt", receipt);
            Assert.True(spend.ExitCode == 0, spend.Error);
            Assert.Contains("your balance: 700", spend.Output, StringComparison.Ordinal);
            Assert.Matches("paid 300 to [0-9a-f]{64} in block [0-9]+", spend.Output);
            Assert.True(spend.Output.Contains($"receipt saved to {receipt}", StringComparison.Ordinal), spend.Output + spend.Error);

            // The receipt proves the payment offline; one changed byte and it does not.
            CliRun verified = await CliRun.AsProcessAsync("receipt", "verify", receipt, "--network", genesis);
            Assert.True(verified.ExitCode == 0, verified.Error);
            Assert.Contains("certified by replicas", verified.Output, StringComparison.Ordinal);
            byte[] bytes = await File.ReadAllBytesAsync(receipt);
            bytes[^40] ^= 1;
            await File.WriteAllBytesAsync(receipt, bytes);
            CliRun forged = await CliRun.AsProcessAsync("receipt", "verify", receipt, "--network", genesis);
            Assert.Equal(1, forged.ExitCode);
            Assert.StartsWith("error: receipt does not hold:", forged.Error, StringComparison.Ordinal);

            // A running replica's ledger verifies, read-only, without disturbing it.
            CliRun live = await CliRun.AsProcessAsync("ledger", "verify", "--home", Path.Combine(net, "node1"));
            Assert.True(live.ExitCode == 0, live.Error);
            Assert.Contains("ledger verified", live.Output, StringComparison.Ordinal);

            CliRun balance = await CliRun.AsProcessAsync("coin", "balance", "--network", genesis, "--wallet", alice);
            Assert.Equal("300", balance.Output.TrimEnd().Split('\n')[^1]);

            CliRun coins = await CliRun.AsProcessAsync("coin", "coins", "--network", genesis, "--wallet", minter);
            Assert.Contains("1 coin(s), total 700", coins.Output, StringComparison.Ordinal);

            CliRun overspend = await CliRun.AsProcessAsync("coin", "spend", "--network", genesis, "--wallet", alice, "--to", minter, "--amount", "5000");
            Assert.Equal(1, overspend.ExitCode);
            Assert.StartsWith("error: paying 5000 needs more than the 300", overspend.Error, StringComparison.Ordinal);

            CliRun notMinter = await CliRun.AsProcessAsync("coin", "mint", "--network", genesis, "--wallet", alice, "--amount", "5");
            Assert.Equal(1, notMinter.ExitCode);
            Assert.Contains("not a minter", notMinter.Error, StringComparison.Ordinal);
        }
        finally
        {
            Assert.Equal(0, (await CliRun.AsProcessAsync("testnet", "stop", "--dir", net)).ExitCode);
        }
    }
}
