using SmartChain.Core.Crypto;

namespace SmartChain.Nemesis.Checking;

/// <summary>
/// What the checker learnt from one replica's ledger: whether it verifies, the hash of each block, every transaction it
/// executed (and how often), and what an independent recomputation of the coins found.
/// </summary>
public sealed class LedgerFacts
{
    /// <summary>The ledger's name in reports (its replica home or data folder).</summary>
    public required string Name { get; init; }

    /// <summary>The replica whose ledger this is (null if unknown): the checker asks whether a member caught up.</summary>
    public int? Replica { get; init; }

    /// <summary>The members of the view in force at the ledger's head.</summary>
    public IReadOnlyList<int> FinalMembers { get; set; } = [];

    /// <summary>Blocks read (genesis included) up to the first bad one.</summary>
    public long Blocks => BlockHashes.Count;

    /// <summary>Hash of block n at index n.</summary>
    public List<Hash256> BlockHashes { get; } = [];

    /// <summary>Why the ledger does not verify (its first bad block), or null.</summary>
    public string? Failure { get; set; }

    /// <summary>Transactions executed, by id; more than one element means it was executed more than once.</summary>
    public Dictionary<Hash256, List<ExecutedTransaction>> Executed { get; } = [];

    /// <summary>Every transaction id in any entry of the ledger, executed or repeated.</summary>
    public HashSet<Hash256> Present { get; } = [];

    /// <summary>Coin-level violations found while recomputing the coins (double spends, created ids, value).</summary>
    public List<string> CoinViolations { get; } = [];

    /// <summary>The state hash of the SMaRtCoin state as the replay (the replicas' own code) left it.</summary>
    public Hash256? ReplayedStateHash { get; set; }

    /// <summary>The state hash of the coins recomputed by the checker from entries and results alone.</summary>
    public Hash256? RecomputedStateHash { get; set; }

    /// <summary>Checkpoints whose recorded coin state the checker's own recomputation matched.</summary>
    public int CheckpointsMatched { get; set; }

    /// <summary>Balance per owner, from the recomputed coins.</summary>
    public Dictionary<Ed25519PublicKey, UInt128> Balances { get; } = [];
}
