namespace SmartChain.Core.Application;

/// <summary>An application's judgement of a <see cref="JoinCandidate"/>: approved, or refused with a reason the joiner is told.</summary>
public readonly record struct JoinVerdict(bool Approved, string? Reason)
{
    /// <summary>Approved.</summary>
    public static JoinVerdict Approve => new(true, null);

    /// <summary>Refused, with why.</summary>
    public static JoinVerdict Refuse(string reason) => new(false, reason);
}
