namespace SmartChain.Ledger.Store;

/// <summary>First payload byte of a block store record.</summary>
internal enum RecordKind : byte
{
    /// <summary>A block's header and body.</summary>
    Block = 1,

    /// <summary>The certificate of an earlier block: i64 number, then the certificate.</summary>
    Certificate = 2,
}
