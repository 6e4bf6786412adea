using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Testnet;

/// <summary>What <see cref="TestnetInitializer"/> made: the genesis and where things are.</summary>
internal sealed record TestnetResult(string Directory, string GenesisPath, GenesisDocument Genesis, IReadOnlyList<string> NodeHomes,
    IReadOnlyList<string> MinterKeyFiles);
