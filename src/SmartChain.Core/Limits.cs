using SmartChain.Core.Crypto;

namespace SmartChain.Core;

/// <summary>
/// Every hard limit of the formats in one place. Decoders take these at the call site, so a peer can never make a
/// replica allocate or loop more than they allow. Relations between them are checked by a unit test.
/// </summary>
public static class Limits
{
    /// <summary>Longest chain id, in UTF-8 bytes.</summary>
    public const int MaxChainIdBytes = 64;

    /// <summary>
    /// Largest operation inside one request. SMaRtCoin needs a few hundred bytes; 64 KiB leaves room for other
    /// applications without letting one request fill a batch.
    /// </summary>
    public const int MaxOperationBytes = 64 * 1024;

    /// <summary>Fixed part of an encoded request: tag, chain id prefix, key, sequence, not-before, operation prefix, signature.</summary>
    public const int RequestOverheadBytes = 1 + 4 + Ed25519PublicKey.Size + 8 + 8 + 4 + Ed25519.SignatureSize;

    /// <summary>Largest encoded request.</summary>
    public const int MaxRequestBytes = RequestOverheadBytes + MaxChainIdBytes + MaxOperationBytes;

    /// <summary>
    /// Largest frame payload a client may send on a replica's client port: a request (a query is at most 4 KiB). The
    /// replica-link frame limit is the batch size; a client link must not be able to make a replica buffer that much.
    /// </summary>
    public const int MaxClientFrameBytes = MaxRequestBytes;

    /// <summary>Most replicas in one view; SPEC targets "4 to a few dozen".</summary>
    public const int MaxViewMembers = 128;

    /// <summary>Fewest replicas in a view: n = 3f+1 with f ≥ 1.</summary>
    public const int MinViewMembers = 4;

    /// <summary>Longest host name (DNS limit).</summary>
    public const int MaxHostBytes = 253;

    /// <summary>Most minters listed in genesis.</summary>
    public const int MaxMinters = 1024;

    /// <summary>Most requests a genesis may allow in one batch.</summary>
    public const int MaxBatchRequests = 65_536;

    /// <summary>Most bytes a genesis may allow in one batch.</summary>
    public const int MaxBatchBytes = 64 * 1024 * 1024;
}
