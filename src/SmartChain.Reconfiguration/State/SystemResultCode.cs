namespace SmartChain.Reconfiguration.State;

/// <summary>First byte of a system operation's result.</summary>
public enum SystemResultCode : byte
{
    /// <summary>A JOIN the replicas approve; the result holds the approval record they sign.</summary>
    Approved = 0,

    /// <summary>The operation installed a new view, which the result holds; from the next block on it is in force.</summary>
    ViewInstalled = 1,

    /// <summary>An exclusion vote was counted, below the threshold.</summary>
    VoteRecorded = 2,

    /// <summary>Refused; the result says why, and nothing changed.</summary>
    Rejected = 3,
}
