using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Views;

/// <summary>
/// One replica of a view: its id, where peers (<see cref="Port"/>) and clients (<see cref="ClientPort"/>) reach it, its
/// long-term identity key (<see cref="PublicKey"/>: links, and the requests it signs itself, such as LEAVE), the key chain
/// its identity commits to (<see cref="Chain"/>), and its signing key in this view (<see cref="ViewKey"/>, a leaf of that
/// chain), which signs everything consensus and certificates rely on. A view checks that the view key is the chain's
/// leaf for its id.
/// </summary>
public sealed record ReplicaMember(int Id, string Host, int Port, int ClientPort, Ed25519PublicKey PublicKey, KeyChainCommitment Chain, ViewKey ViewKey)
{
    /// <summary>
    /// A member of view 0 whose key chain holds one key, <paramref name="viewKey"/> (the identity key if not given): it
    /// cannot take part in any later view. For tests and fixed single-view setups; real replicas have a chain (testnet init
    /// and node join create one).
    /// </summary>
    public static ReplicaMember WithOneViewKey(int id, string host, int port, int clientPort, Ed25519PublicKey identity, Ed25519PublicKey? viewKey = null)
    {
        Ed25519PublicKey key = viewKey ?? identity;
        Ed25519PublicKey[] keys = [key];
        var chain = KeyChainCommitment.Create(keys, 0);
        return new ReplicaMember(id, host, port, clientPort, identity, chain, chain.Prove(keys, 0));
    }

    /// <summary>host:port of the replica-to-replica listener.</summary>
    public string ReplicaEndpoint => $"{Host}:{Port}";

    /// <summary>host:port of the client listener.</summary>
    public string ClientEndpoint => $"{Host}:{ClientPort}";

    /// <summary>The same member in view <paramref name="viewId"/>, with that view's key out of its chain's public keys.</summary>
    public ReplicaMember InView(long viewId, IReadOnlyList<Ed25519PublicKey> chainKeys) => this with { ViewKey = Chain.Prove(chainKeys, viewId) };

    /// <summary>
    /// Canonical encoding: i32 id, host string, u16 port, u16 client port, 32-byte identity key, key-chain commitment,
    /// view key.
    /// </summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        writer.WriteInt32(Id);
        writer.WriteString(Host, Limits.MaxHostBytes);
        writer.WriteUInt16(checked((ushort)Port));
        writer.WriteUInt16(checked((ushort)ClientPort));
        PublicKey.WriteTo(ref writer);
        Chain.WriteTo(ref writer);
        ViewKey.WriteTo(ref writer);
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
        Ed25519PublicKey identity = Ed25519PublicKey.ReadFrom(ref reader);
        return new ReplicaMember(id, host, port, clientPort, identity, KeyChainCommitment.ReadFrom(ref reader), ViewKey.ReadFrom(ref reader));
    }

    /// <summary>Smallest encoding of a member, for bounding counts.</summary>
    internal const int MinEncodedBytes = 4 + 4 + 2 + 2 + Ed25519PublicKey.Size + KeyChainCommitment.EncodedSize + ViewKey.MinEncodedBytes;
}
