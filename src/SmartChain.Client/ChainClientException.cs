namespace SmartChain.Client;

/// <summary>The network could not be reached or did not agree in time; the message says which replicas answered what.</summary>
public sealed class ChainClientException : Exception
{
    /// <inheritdoc />
    public ChainClientException()
    {
    }

    /// <inheritdoc />
    public ChainClientException(string message)
        : base(message)
    {
    }

    /// <inheritdoc />
    public ChainClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
