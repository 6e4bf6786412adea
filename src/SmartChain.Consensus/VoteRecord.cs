using SmartChain.Core.Crypto;
using SmartChain.Consensus.Messages;

namespace SmartChain.Consensus;

/// <summary>
/// A vote this replica is about to send: it must be durable before the message leaves, so that after a crash the
/// replica never votes differently in the same instance and regency (leader change relies on it).
/// </summary>
public sealed record VoteRecord(MessageType Kind, long Instance, int Regency, Hash256 BatchHash);
