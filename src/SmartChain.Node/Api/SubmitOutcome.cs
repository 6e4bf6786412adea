using SmartChain.Core.Crypto;

namespace SmartChain.Node.Api;

/// <summary>
/// What became of a submitted transaction: its id (the request digest), its state, and once executed the block and
/// consensus instance that hold it and its result; once rejected, why.
/// </summary>
public sealed record SubmitOutcome(Hash256 Id, SubmitState State, string? Reason = null, long Block = 0, long Instance = 0)
{
    /// <summary>The application's result bytes (executed only).</summary>
    public ReadOnlyMemory<byte> Result { get; init; }
}
