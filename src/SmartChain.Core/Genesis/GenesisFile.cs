namespace SmartChain.Core.Genesis;

/// <summary>genesis.json as written by people and tools; every field nullable so missing ones get named errors.</summary>
internal sealed class GenesisFile
{
    public int? Format { get; set; }

    public string? ChainId { get; set; }

    public string? Persistence { get; set; }

    public GenesisViewSection? View { get; set; }

    public GenesisConsensusSection? Consensus { get; set; }

    public long? CheckpointPeriod { get; set; }

    public GenesisReconfigurationSection? Reconfiguration { get; set; }

    public GenesisCoinSection? Coin { get; set; }
}
