namespace SmartChain.Ledger.Verification;

/// <summary>What <see cref="ChainReplayer"/> verifies besides links, roots and results, which it always checks.</summary>
[Flags]
public enum ReplayChecks
{
    /// <summary>Links, roots and re-executed results only (a replica's own certified, checksummed blocks).</summary>
    None = 0,

    /// <summary>Every certificate's signatures against the view in force.</summary>
    Certificates = 1,

    /// <summary>Every entry's client signature.</summary>
    ClientSignatures = 2,

    /// <summary>A block may lack its certificate (weak mode's tail, or any block a replica has not certified yet).</summary>
    AllowUncertified = 4,

    /// <summary>What <c>ledger verify</c> checks.</summary>
    Full = Certificates | ClientSignatures,
}
