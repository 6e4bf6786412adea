namespace SmartChain.Ledger.Store;

/// <summary>
/// The block store holds something that is not a torn tail: a checksum mismatch before the end, a broken link, a
/// missing or repeated block. Never repaired silently; the replica must not start on it.
/// </summary>
public sealed class LedgerCorruptException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/>, at block <paramref name="blockNumber"/>.</summary>
    public LedgerCorruptException(string file, long blockNumber, string reason)
        : base($"corrupt ledger: {file}, block {blockNumber}: {reason}")
    {
        File = file;
        BlockNumber = blockNumber;
        Reason = reason;
    }

    /// <inheritdoc />
    public LedgerCorruptException()
        : this("?", -1, "corrupt")
    {
    }

    /// <inheritdoc />
    public LedgerCorruptException(string message)
        : base(message)
    {
        File = "?";
        Reason = message;
    }

    /// <inheritdoc />
    public LedgerCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
        File = "?";
        Reason = message;
    }

    /// <summary>The segment file.</summary>
    public string File { get; }

    /// <summary>The block at or just after the damage.</summary>
    public long BlockNumber { get; }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }
}
