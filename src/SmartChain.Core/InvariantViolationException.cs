namespace SmartChain.Core;

/// <summary>
/// A step that must never happen did: the code's own invariant (not the input) is broken. Asserted in Release too, at
/// the place where a wrong step would first show, so the replica stops instead of going on inconsistent, and the
/// whole-replica simulator reports the first wrong step of a seed rather than only a wrong outcome at its end.
/// </summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>A violation described by <paramref name="message"/> (what held, what was expected).</summary>
    public InvariantViolationException(string message) : base("invariant violated: " + message)
    {
    }

    /// <summary>For serializers; use the message constructor.</summary>
    public InvariantViolationException() : base("invariant violated")
    {
    }

    /// <summary>A violation found while handling <paramref name="inner"/>.</summary>
    public InvariantViolationException(string message, Exception inner) : base("invariant violated: " + message, inner)
    {
    }
}
