namespace SmartChain.Api.Models;

/// <summary>A block in a list or an event: number, hash, previous hash, consensus instance, entry count, certified or not.</summary>
public sealed record BlockSummary(long Number, string Hash, string HashLastBlock, long ConsensusId, int TransactionCount, bool Certified);
