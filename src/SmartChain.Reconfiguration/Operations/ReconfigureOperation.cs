using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Reconfiguration.Operations;

/// <summary>
/// RECONFIGURE: a join certificate. It embeds the JOIN request that was approved, the approval record the voters signed
/// and at least Q votes (view-v signatures over the record). Body: <c>bytes join request · bytes approval record · u32 m ·
/// m × (i32 replica · 64 B signature)</c>.
/// </summary>
public sealed record ReconfigureOperation(SignedRequest Join, ApprovalRecord Record, IReadOnlyList<(int ReplicaId, ReadOnlyMemory<byte> Signature)> Votes)
    : ReconfigurationOperation
{
    /// <inheritdoc />
    public override SystemOperationKind Kind => SystemOperationKind.Reconfigure;

    /// <inheritdoc />
    protected override void WriteBody(ref CanonicalWriter writer)
    {
        writer.WriteBytes(Join.Encoded.Span, MaxEmbeddedRequestBytes);
        writer.WriteBytes(Record.Encode(), ApprovalRecord.MaxEncodedBytes);
        writer.WriteCount(Votes.Count, Core.Limits.MaxViewMembers);
        foreach ((int replica, ReadOnlyMemory<byte> signature) in Votes)
        {
            writer.WriteInt32(replica);
            writer.WriteFixed(signature.Span);
        }
    }

    internal static ReconfigureOperation ReadBody(ref CanonicalReader r)
    {
        int at = r.Position;
        byte[] join = r.ReadBytesToArray(MaxEmbeddedRequestBytes);
        if (!SignedRequest.TryDecode(join, out SignedRequest? request, out EncodingException? bad))
        {
            throw new EncodingException(at, $"the embedded JOIN request: {bad!.Message}");
        }

        at = r.Position;
        byte[] record = r.ReadBytesToArray(ApprovalRecord.MaxEncodedBytes);
        ApprovalRecord approval = ApprovalRecord.TryDecode(record, out string? error) ?? throw new EncodingException(at, $"the approval record: {error}");
        var votes = new (int, ReadOnlyMemory<byte>)[r.ReadCount(Core.Limits.MaxViewMembers, 4 + Ed25519.SignatureSize)];
        for (int i = 0; i < votes.Length; i++)
        {
            votes[i] = (r.ReadInt32(), r.ReadFixed(Ed25519.SignatureSize).ToArray());
        }

        return new ReconfigureOperation(request!, approval, votes);
    }
}
