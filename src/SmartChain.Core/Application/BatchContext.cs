namespace SmartChain.Core.Application;

/// <summary>
/// Everything execution may know about where a batch sits in the chain. Applications get their inputs from
/// here, never from the environment.
/// </summary>
/// <param name="BlockNumber">Height of the block that will hold the batch.</param>
/// <param name="ConsensusId">Consensus instance that decided the batch.</param>
public readonly record struct BatchContext(long BlockNumber, long ConsensusId);
