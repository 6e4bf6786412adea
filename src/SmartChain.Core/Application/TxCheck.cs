namespace SmartChain.Core.Application;

/// <summary>The outcome of <see cref="IReplicatedApplication.CheckTx"/>: accepted, or an application code and a reason.</summary>
/// <param name="Accepted">True if the request may be ordered.</param>
/// <param name="Code">The application's result code (0 when accepted).</param>
/// <param name="Reason">Why it was refused, for logs and the client; null when accepted.</param>
public readonly record struct TxCheck(bool Accepted, byte Code, string? Reason)
{
    /// <summary>An accepted request.</summary>
    public static TxCheck Ok => new(true, 0, null);

    /// <summary>A refused request.</summary>
    public static TxCheck Refuse(byte code, string reason) => new(false, code, reason);
}
