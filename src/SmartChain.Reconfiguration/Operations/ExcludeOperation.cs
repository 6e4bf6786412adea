using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Reconfiguration.Operations;

/// <summary>
/// EXCLUDE: the issuing member's vote to remove member <see cref="Target"/>. Votes live in the replicated state until
/// they expire; f+1 live votes of distinct members remove the target. Body: <c>i32 target</c>.
/// </summary>
public sealed record ExcludeOperation(int Target) : ReconfigurationOperation
{
    /// <inheritdoc />
    public override SystemOperationKind Kind => SystemOperationKind.Exclude;

    /// <inheritdoc />
    protected override void WriteBody(ref CanonicalWriter writer) => writer.WriteInt32(Target);
}
