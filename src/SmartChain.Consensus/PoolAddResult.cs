namespace SmartChain.Consensus;

/// <summary>What happened to a request offered to the <see cref="RequestPool"/>.</summary>
public enum PoolAddResult
{
    /// <summary>Added; it can be proposed.</summary>
    Added,

    /// <summary>The same request (same digest) is already pending.</summary>
    AlreadyPending,

    /// <summary>Another request with this client and sequence is pending; the first one is kept.</summary>
    ConflictingSequence,

    /// <summary>This client's sequence was already decided (a replay); answer from the reply cache.</summary>
    AlreadyDecided,

    /// <summary>
    /// The request's not-before does not let it be ordered in the next instance: its window has passed (sign again
    /// naming a recent instance), or it names an instance this replica has not decided yet.
    /// </summary>
    OutsideWindow,

    /// <summary>The pool is full; the client should retry later.</summary>
    PoolFull,

    /// <summary>This client has too many pending requests.</summary>
    ClientFull,

    /// <summary>This replica is not a member of the view in force (it is catching up to join, or was removed).</summary>
    NotMember,
}
