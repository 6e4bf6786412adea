using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Views;

/// <summary>
/// One replica of a view: its id, where peers (<see cref="Port"/>) and clients (<see cref="ClientPort"/>) reach it,
/// and the public key that authenticates it.
/// </summary>
public sealed record ReplicaMember(int Id, string Host, int Port, int ClientPort, Ed25519PublicKey PublicKey)
{
    /// <summary>host:port of the replica-to-replica listener.</summary>
    public string ReplicaEndpoint => $"{Host}:{Port}";

    /// <summary>host:port of the client listener.</summary>
    public string ClientEndpoint => $"{Host}:{ClientPort}";

    /// <summary>Canonical encoding: i32 id, host string, u16 port, u16 client port, 32-byte key.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        writer.WriteInt32(Id);
        writer.WriteString(Host, Limits.MaxHostBytes);
        writer.WriteUInt16(checked((ushort)Port));
        writer.WriteUInt16(checked((ushort)ClientPort));
        PublicKey.WriteTo(ref writer);
    }

    /// <summary>Reads a member written by <see cref="WriteTo"/>.</summary>
    public static ReplicaMember ReadFrom(ref CanonicalReader reader)
    {
        int at = reader.Position;
        int id = reader.ReadInt32();
        if (id < 0)
        {
            throw new EncodingException(at, $"replica id {id} is negative");
        }

        string host = reader.ReadString(Limits.MaxHostBytes);
        int port = reader.ReadUInt16();
        int clientPort = reader.ReadUInt16();
        return new ReplicaMember(id, host, port, clientPort, Ed25519PublicKey.ReadFrom(ref reader));
    }

    /// <summary>Smallest encoding of a member, for bounding counts.</summary>
    internal const int MinEncodedBytes = 4 + 4 + 2 + 2 + Ed25519PublicKey.Size;
}
