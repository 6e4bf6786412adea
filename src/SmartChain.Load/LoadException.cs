namespace SmartChain.Load;

/// <summary>A load could not run as planned (its setup was refused, say); the message says why.</summary>
public sealed class LoadException : Exception
{
    /// <inheritdoc />
    public LoadException()
    {
    }

    /// <inheritdoc />
    public LoadException(string message)
        : base(message)
    {
    }

    /// <inheritdoc />
    public LoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
