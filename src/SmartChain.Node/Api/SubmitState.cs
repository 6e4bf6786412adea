namespace SmartChain.Node.Api;

/// <summary>Where a transaction submitted through the API is.</summary>
public enum SubmitState
{
    /// <summary>Handed to the replica; no answer yet.</summary>
    Pending,

    /// <summary>Executed, and its block is durable at this replica.</summary>
    Executed,

    /// <summary>Refused before ordering (bad signature, unknown chain, busy, …); the reason says why.</summary>
    Rejected,
}
