using SmartChain.Core.Crypto;

namespace SmartChain.Network;

/// <summary>This end's identity on a link: its replica id (or <see cref="PeerIdentity.ClientId"/>) and its key (not owned).</summary>
public sealed record LinkCredentials(int ReplicaId, Ed25519KeyPair Key);
