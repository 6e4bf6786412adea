using SmartChain.Core.Crypto;
using SmartChain.Ledger.Verification;

namespace SmartChain.Cli.Testnet;

/// <summary>
/// One replica's ledger, as its verification found it, and the hash of its block at the height every replica holds
/// (replicas stopped one after another may differ by the last block or two; their common prefix must be identical).
/// </summary>
internal sealed record ReplicaLedger(int Replica, VerifyReport Report)
{
    /// <summary>Hash of this ledger's block at <see cref="CommonHeight"/>; null if it could not be read.</summary>
    public Hash256? HashAtCommonHeight { get; init; }

    /// <summary>The highest block every replica's ledger holds.</summary>
    public long CommonHeight { get; init; }
}
