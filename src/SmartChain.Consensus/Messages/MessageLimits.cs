using SmartChain.Core.Genesis;

namespace SmartChain.Consensus.Messages;

/// <summary>How large a decoded message may be; from genesis, so every replica refuses the same things.</summary>
/// <param name="MaxBatch">Most requests in a batch.</param>
/// <param name="MaxRequestBytes">Largest encoded request.</param>
public sealed record MessageLimits(int MaxBatch, int MaxRequestBytes)
{
    /// <summary>The limits a genesis sets.</summary>
    public static MessageLimits From(ConsensusParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new MessageLimits(parameters.MaxBatch, parameters.MaxRequestBytes);
    }
}
