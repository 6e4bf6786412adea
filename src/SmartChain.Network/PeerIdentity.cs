using SmartChain.Core.Crypto;

namespace SmartChain.Network;

/// <summary>Who is at the other end of an authenticated link: a replica id (or -1 for a client) and its key.</summary>
public sealed record PeerIdentity(int ReplicaId, Ed25519PublicKey PublicKey)
{
    /// <summary>The id clients use.</summary>
    public const int ClientId = -1;

    /// <summary>True for a client link.</summary>
    public bool IsClient => ReplicaId == ClientId;

    /// <inheritdoc />
    public override string ToString() => IsClient ? $"client {PublicKey.ToString()[..16]}" : $"replica {ReplicaId}";
}
