namespace SmartChain.Network;

/// <summary>
/// A link that must be closed: a failed handshake (unknown key, wrong chain, bad signature), a frame that fails
/// authentication, an oversized or malformed frame. The message says which peer and why, for the log.
/// </summary>
public sealed class LinkException : Exception
{
    /// <inheritdoc />
    public LinkException()
    {
    }

    /// <inheritdoc />
    public LinkException(string message)
        : base(message)
    {
    }

    /// <inheritdoc />
    public LinkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
