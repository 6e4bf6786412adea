namespace SmartChain.Core.Encoding;

/// <summary>
/// The one exception canonical decoding throws: input that is truncated, has trailing bytes, or carries a
/// length, count or value outside what the caller allowed. <see cref="Offset"/> is where decoding stopped.
/// </summary>
public sealed class EncodingException : Exception
{
    /// <summary>Creates an exception for a failure at <paramref name="offset"/>.</summary>
    public EncodingException(int offset, string reason)
        : base($"at offset {offset}: {reason}")
    {
        Offset = offset;
        Reason = reason;
    }

    /// <summary>Byte offset in the input where the problem was found.</summary>
    public int Offset { get; }

    /// <summary>What was wrong, without the offset.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public EncodingException()
        : this(0, "invalid encoding")
    {
    }

    /// <inheritdoc />
    public EncodingException(string message)
        : this(0, message)
    {
    }

    /// <inheritdoc />
    public EncodingException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }
}
