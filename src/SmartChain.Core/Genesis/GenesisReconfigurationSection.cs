namespace SmartChain.Core.Genesis;

/// <summary>The "reconfiguration" object of genesis.json.</summary>
internal sealed class GenesisReconfigurationSection
{
    public long? JoinExpiryInstances { get; set; }

    public long? ExclusionExpiryInstances { get; set; }
}
