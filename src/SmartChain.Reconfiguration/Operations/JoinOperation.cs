using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Reconfiguration.Operations;

/// <summary>
/// JOIN: a node asks to become replica <see cref="ReplicaId"/> at the given addresses, with the public keys of its key
/// chain (their Merkle root becomes its commitment) and a payload for the application's join policy. Body:
/// <c>i32 id · string host · u16 port · u16 client port · u32 n · n × 32 B key · bytes payload</c>.
/// </summary>
public sealed record JoinOperation(int ReplicaId, string Host, int Port, int ClientPort, IReadOnlyList<Ed25519PublicKey> ViewKeys, ReadOnlyMemory<byte> Payload)
    : ReconfigurationOperation
{
    /// <inheritdoc />
    public override SystemOperationKind Kind => SystemOperationKind.Join;

    /// <inheritdoc />
    protected override void WriteBody(ref CanonicalWriter writer)
    {
        writer.WriteInt32(ReplicaId);
        writer.WriteString(Host, Limits.MaxHostBytes);
        writer.WriteUInt16(checked((ushort)Port));
        writer.WriteUInt16(checked((ushort)ClientPort));
        writer.WriteCount(ViewKeys.Count, KeyChainCommitment.MaxLength);
        foreach (Ed25519PublicKey key in ViewKeys)
        {
            key.WriteTo(ref writer);
        }

        writer.WriteBytes(Payload.Span, MaxPayloadBytes);
    }

    internal static JoinOperation ReadBody(ref CanonicalReader r)
    {
        int id = r.ReadInt32();
        string host = r.ReadString(Limits.MaxHostBytes);
        int port = r.ReadUInt16();
        int clientPort = r.ReadUInt16();
        var keys = new Ed25519PublicKey[r.ReadCount(KeyChainCommitment.MaxLength, Ed25519PublicKey.Size)];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = Ed25519PublicKey.ReadFrom(ref r);
        }

        return new JoinOperation(id, host, port, clientPort, keys, r.ReadBytesToArray(MaxPayloadBytes));
    }
}
