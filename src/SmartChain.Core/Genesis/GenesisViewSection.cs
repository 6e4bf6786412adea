namespace SmartChain.Core.Genesis;

/// <summary>The "view" object of genesis.json.</summary>
internal sealed class GenesisViewSection
{
    public long? Id { get; set; }

    public List<GenesisMemberSection?>? Members { get; set; }
}
