namespace SmartChain.Consensus;

/// <summary>One replica's signed ACCEPT inside a <see cref="DecisionProof"/>.</summary>
/// <param name="ReplicaId">The signer.</param>
/// <param name="Signature">Its Ed25519 signature over the <see cref="AcceptStatement"/>.</param>
public sealed record AcceptVote(int ReplicaId, ReadOnlyMemory<byte> Signature);
