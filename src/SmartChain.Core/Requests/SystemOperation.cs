namespace SmartChain.Core.Requests;

/// <summary>
/// Operations of the platform itself (reconfiguration, SPEC §5) travel in ordinary signed requests whose operation
/// starts with the byte <see cref="Tag"/>, followed by a <see cref="SystemOperationKind"/>. The platform executes them;
/// the application never sees them, so applications must not start their own operations with that byte (SMaRtCoin's
/// operations start with 1 or 2).
/// </summary>
public static class SystemOperation
{
    /// <summary>First byte of every system operation.</summary>
    public const byte Tag = 0xFF;

    /// <summary>True if <paramref name="operation"/> is a system operation (tag and a kind byte).</summary>
    public static bool IsSystem(ReadOnlySpan<byte> operation) => operation.Length >= 2 && operation[0] == Tag;

    /// <summary>
    /// True if executing <paramref name="operation"/> may change the view (RECONFIGURE, LEAVE, EXCLUDE). The consensus core
    /// waits for such a decision's execution before it orders the next instance, which may belong to a new view.
    /// </summary>
    public static bool MayChangeView(ReadOnlySpan<byte> operation) =>
        IsSystem(operation) && (SystemOperationKind)operation[1] is SystemOperationKind.Reconfigure or SystemOperationKind.Leave or SystemOperationKind.Exclude;

    /// <summary>True if any request of <paramref name="batch"/> may change the view.</summary>
    public static bool AnyMayChangeView(IReadOnlyList<SignedRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (int i = 0; i < batch.Count; i++)
        {
            if (MayChangeView(batch[i].Operation.Span))
            {
                return true;
            }
        }

        return false;
    }
}
