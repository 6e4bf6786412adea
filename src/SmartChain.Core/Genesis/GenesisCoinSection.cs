namespace SmartChain.Core.Genesis;

/// <summary>The "coin" object of genesis.json: SMaRtCoin's genesis parameters.</summary>
internal sealed class GenesisCoinSection
{
    public List<string?>? Minters { get; set; }

    /// <summary>"endorsement-or-allow-list" (default), "endorsement" or "allow-list".</summary>
    public string? JoinPolicy { get; set; }

    public List<string?>? JoinAllowList { get; set; }
}
