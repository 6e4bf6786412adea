using SmartChain.Cli.Testnet;
using SmartChain.Load;

namespace SmartChain.Cli.Demo;

/// <summary>What the demo did: the load's figures and every replica's verified ledger.</summary>
internal sealed record DemoOutcome(string Folder, LoadResult Load, IReadOnlyList<ReplicaLedger> Ledgers, bool Aligned)
{
    /// <summary>Every ledger verified and all of them end in the same head.</summary>
    public bool Succeeded => Ledgers.Count > 0 && Ledgers.All(l => l.Report.Passed) && Ledgers.Select(l => (l.Report.Blocks, l.Report.HeadHash)).Distinct().Count() == 1;
}
