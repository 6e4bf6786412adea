using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Testnet;

/// <summary>What <c>smartchain testnet init</c> creates.</summary>
internal sealed record TestnetOptions
{
    public required string Directory { get; init; }

    public int Replicas { get; init; } = 4;

    public PersistenceMode Persistence { get; init; } = PersistenceMode.Strong;

    public string Host { get; init; } = "127.0.0.1";

    public int BasePort { get; init; } = 27000;

    public int Minters { get; init; } = 1;

    public long CheckpointPeriod { get; init; } = GenesisDocument.DefaultCheckpointPeriod;

    public string ChainId { get; init; } = "smartchain-local";

    public bool Force { get; init; }
}
