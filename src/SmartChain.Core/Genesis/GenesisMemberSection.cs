namespace SmartChain.Core.Genesis;

/// <summary>One entry of "view.members" in genesis.json.</summary>
internal sealed class GenesisMemberSection
{
    public int? Id { get; set; }

    public string? Host { get; set; }

    public int? Port { get; set; }

    public int? ClientPort { get; set; }

    public string? PublicKey { get; set; }

    /// <summary>The member's key-chain public keys, concatenated, in base64 (key i signs view i).</summary>
    public string? ViewKeys { get; set; }
}
