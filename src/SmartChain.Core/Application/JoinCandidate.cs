using SmartChain.Core.Crypto;

namespace SmartChain.Core.Application;

/// <summary>
/// A node that asks to join, as the application's join policy sees it: the replica id and addresses it asks for, its
/// identity key (which signed the JOIN request) and the application payload it sent (credentials, an endorsement).
/// </summary>
public sealed record JoinCandidate(int ReplicaId, Ed25519PublicKey Identity, string Host, int Port, int ClientPort, ReadOnlyMemory<byte> Payload);
