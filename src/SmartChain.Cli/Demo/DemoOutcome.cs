using SmartChain.Cli.Testnet;
using SmartChain.Load;

namespace SmartChain.Cli.Demo;

/// <summary>What the demo did: the load's figures and every replica's verified ledger.</summary>
internal sealed record DemoOutcome(string Folder, LoadResult Load, IReadOnlyList<ReplicaLedger> Ledgers, bool Aligned)
{
    /// <summary>Every ledger verified, all hold the same blocks up to the shortest one, and none is far behind.</summary>
    public bool Succeeded => Ledgers.Count > 0 && Ledgers.All(l => l.Report.Passed && l.HashAtCommonHeight is not null) &&
        Ledgers.Select(l => l.HashAtCommonHeight).Distinct().Count() == 1 && HeightSpread <= MaxHeightSpread;

    /// <summary>
    /// Replicas are stopped one after another, so the last to stop may hold a block or two that the first did not get
    /// to persist (decided by the others after it stopped); more than this means one replica fell behind.
    /// </summary>
    public const long MaxHeightSpread = 8;

    /// <summary>Blocks between the longest and the shortest ledger.</summary>
    public long HeightSpread => Ledgers.Count == 0 ? 0 : Ledgers.Max(l => l.Report.Blocks) - Ledgers.Min(l => l.Report.Blocks);
}
