using SmartChain.Consensus.Messages;

namespace SmartChain.Consensus;

/// <summary>A message to send: to one replica, or to every other member when <see cref="To"/> is null.</summary>
public sealed record OutboundMessage(int? To, ConsensusMessage Message);
