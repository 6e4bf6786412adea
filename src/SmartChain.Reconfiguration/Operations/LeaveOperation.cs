using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Reconfiguration.Operations;

/// <summary>LEAVE: member <see cref="ReplicaId"/> leaves; valid only if the request is signed with that member's identity key. Body: <c>i32 id</c>.</summary>
public sealed record LeaveOperation(int ReplicaId) : ReconfigurationOperation
{
    /// <inheritdoc />
    public override SystemOperationKind Kind => SystemOperationKind.Leave;

    /// <inheritdoc />
    protected override void WriteBody(ref CanonicalWriter writer) => writer.WriteInt32(ReplicaId);
}
