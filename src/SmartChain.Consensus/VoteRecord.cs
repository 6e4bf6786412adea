using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// A vote this replica is about to send: it must be durable before the message leaves, so that after a crash the
/// replica never votes differently in the same instance and regency (leader change relies on it). A leader's
/// PROPOSE record carries the batch itself: after a whole-cluster crash the leader must propose the same batch
/// again, because replicas that wrote or accepted it will take no other in that instance and regency.
/// </summary>
public sealed record VoteRecord(MessageType Kind, long Instance, int Regency, Hash256 BatchHash, IReadOnlyList<SignedRequest>? Batch = null);
