using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Testnet;

/// <summary>What <c>smartchain testnet init</c> creates.</summary>
internal sealed record TestnetOptions
{
    public required string Directory { get; init; }

    public int Replicas { get; init; } = 4;

    public PersistenceMode Persistence { get; init; } = PersistenceMode.Strong;

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>One address per replica (replica i at Hosts[i]), for replicas on their own machines; empty: all at <see cref="Host"/>.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    public int BasePort { get; init; } = 27000;

    public int Minters { get; init; } = 1;

    public long CheckpointPeriod { get; init; } = GenesisDocument.DefaultCheckpointPeriod;

    public string ChainId { get; init; } = "smartchain-local";

    /// <summary>Keys in each replica's key chain: the views it can take part in.</summary>
    public int KeyChainLength { get; init; } = Reconfiguration.Keys.ViewKeyChain.DefaultLength;

    public JoinPolicyMode JoinPolicy { get; init; } = JoinPolicyMode.EndorsementOrAllowList;

    public IReadOnlyList<Core.Crypto.Ed25519PublicKey> JoinAllowList { get; init; } = [];

    public bool Force { get; init; }
}
