namespace SmartChain.Core.Genesis;

/// <summary>Reconfiguration parameters every replica must agree on, from genesis (SPEC §5). Expiries count consensus instances, not time.</summary>
public sealed record ReconfigurationParameters
{
    /// <summary>
    /// Instances after a JOIN's approval within which its join certificate must be decided. Long enough for the joiner
    /// to collect Q votes and submit them under load (hundreds of instances a second), short enough that an approval is
    /// not a standing ticket.
    /// </summary>
    public long JoinExpiryInstances { get; init; } = 10_000;

    /// <summary>Instances an exclusion vote counts for; f+1 live votes remove a member.</summary>
    public long ExclusionExpiryInstances { get; init; } = 100_000;

    /// <summary>The defaults.</summary>
    public static ReconfigurationParameters Default { get; } = new();
}
