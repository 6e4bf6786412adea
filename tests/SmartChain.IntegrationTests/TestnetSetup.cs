using System.Globalization;
using SmartChain.Cli.Tests;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;

namespace SmartChain.IntegrationTests;

/// <summary>A testnet created the way a user does it (<c>smartchain testnet init</c>, as a process), on free ports.</summary>
internal static class TestnetSetup
{
    /// <summary>Creates DIR/net with <paramref name="minters"/> minter wallets; returns the folder, the genesis and the minter keys (owned by the caller).</summary>
    public static async Task<(string Net, GenesisDocument Genesis, Ed25519KeyPair[] Minters)> InitAsync(string dir, string persistence, int minters,
        params string[] extra)
    {
        string net = Path.Combine(dir, "net");
        CliRun init = await CliRun.AsProcessAsync(["testnet", "init", "--dir", net, "--persistence", persistence,
            "--minters", minters.ToString(CultureInfo.InvariantCulture), "--base-port", TestPorts.FreeRange(8).ToString(CultureInfo.InvariantCulture), .. extra]);
        Assert.True(init.ExitCode == 0, init.Error);
        GenesisDocument genesis = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        Ed25519KeyPair[] keys = [.. Enumerable.Range(0, minters).Select(i => KeyFile.Load(Path.Combine(net, "wallets", $"minter{i}.key")))];
        return (net, genesis, keys);
    }
}
