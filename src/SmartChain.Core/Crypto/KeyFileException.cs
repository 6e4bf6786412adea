namespace SmartChain.Core.Crypto;

/// <summary>A key file that cannot be written or used; the message says which file and why, for a person.</summary>
public sealed class KeyFileException : Exception
{
    /// <inheritdoc />
    public KeyFileException()
    {
    }

    /// <inheritdoc />
    public KeyFileException(string message)
        : base(message)
    {
    }

    /// <inheritdoc />
    public KeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
