namespace SmartChain.Node;

/// <summary>What a replica does with executed batches before replying.</summary>
public enum LedgerMode
{
    /// <summary>Blocks, group commit and certificates, in the genesis' persistence mode (weak or strong).</summary>
    Blockchain,

    /// <summary>Table I baseline: the application appends each batch to its own ledger file and fsyncs it before replying.</summary>
    NaiveSync,

    /// <summary>Table I baseline: the application appends each batch to its own ledger file without fsync.</summary>
    NaiveAsync,

    /// <summary>Table I baseline: no ledger at all (BFT-SMaRt's durability layer alone: the vote log).</summary>
    None,
}
