namespace SmartChain.Nemesis.History;

/// <summary>What a history record says about one client operation (Jepsen's invoke / ok / fail / info).</summary>
public enum OperationOutcome
{
    /// <summary>The client sent the transaction; its completion follows in a later record.</summary>
    Invoke,

    /// <summary>A quorum said it executed with an Ok result: it must be in every correct ledger, exactly once, with that effect.</summary>
    Ok,

    /// <summary>
    /// A quorum said it has no effect: refused before ordering (<see cref="HistoryRecord.Ordered"/> false: it must be in
    /// no ledger), or ordered and rejected by SMaRtCoin (it may be in a block, never with an Ok result).
    /// </summary>
    Fail,

    /// <summary>No quorum answered in time (a timeout, a lost connection): it may or may not have executed.</summary>
    Unknown,
}
