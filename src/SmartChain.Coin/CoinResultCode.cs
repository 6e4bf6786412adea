namespace SmartChain.Coin;

/// <summary>The outcome of one SMaRtCoin transaction. Every transaction gets exactly one; only <see cref="Ok"/> changes state.</summary>
public enum CoinResultCode : byte
{
    /// <summary>Executed; the result lists the created coin ids.</summary>
    Ok = 0,

    /// <summary>The operation bytes are not a MINT or SPEND in canonical form (or a SPEND has no inputs).</summary>
    Malformed = 1,

    /// <summary>The request's signature does not verify for this chain (checked only where signatures are verified).</summary>
    BadSignature = 2,

    /// <summary>A MINT from a key that genesis does not list as a minter.</summary>
    NotMinter = 3,

    /// <summary>A SPEND input that does not exist: never created, or already spent.</summary>
    UnknownCoin = 4,

    /// <summary>A SPEND input owned by someone other than the issuer.</summary>
    NotOwner = 5,

    /// <summary>A SPEND lists the same input twice.</summary>
    DuplicateInput = 6,

    /// <summary>A SPEND whose outputs do not add up to its inputs (there are no fees).</summary>
    ValueMismatch = 7,

    /// <summary>A sum of values exceeds 2^64 − 1.</summary>
    Overflow = 8,

    /// <summary>A MINT or SPEND with no outputs.</summary>
    EmptyOutputs = 9,

    /// <summary>More inputs than <see cref="CoinLimits.MaxInputs"/>.</summary>
    TooManyInputs = 10,

    /// <summary>More outputs than <see cref="CoinLimits.MaxOutputs"/>.</summary>
    TooManyOutputs = 11,

    /// <summary>
    /// A coin this transaction would create already exists: the same transaction was executed before. The platform's
    /// per-client sequence numbers prevent this; the check keeps the coin table consistent if they ever did not.
    /// </summary>
    Replayed = 12,

    /// <summary>An output of value 0: it would add a coin without adding value (a free way to grow one owner's coin list).</summary>
    ZeroValue = 13,
}
