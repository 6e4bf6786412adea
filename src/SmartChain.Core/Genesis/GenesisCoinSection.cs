namespace SmartChain.Core.Genesis;

/// <summary>The "coin" object of genesis.json: SMaRtCoin's genesis parameters.</summary>
internal sealed class GenesisCoinSection
{
    public List<string?>? Minters { get; set; }
}
