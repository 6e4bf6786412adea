namespace SmartChain.Network.Client;

/// <summary>What became of a client's request at one replica.</summary>
public enum ReplyStatus : byte
{
    /// <summary>Decided and executed; the reply carries the application's result.</summary>
    Executed = 0,

    /// <summary>Already decided before; the reply repeats the cached result.</summary>
    Duplicate = 1,

    /// <summary>Below the client's highest decided sequence and never executed: sign it again with a new sequence.</summary>
    Stale = 2,

    /// <summary>Refused before ordering (bad signature, CheckTx, pool full); the result is the reason in UTF-8.</summary>
    Rejected = 3,
}
