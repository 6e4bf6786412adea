namespace SmartChain.Node.Transfer;

/// <summary>State transfer could not finish: every source that could serve a part was dropped or silent.</summary>
public sealed class TransferException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransferException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransferException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TransferException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
