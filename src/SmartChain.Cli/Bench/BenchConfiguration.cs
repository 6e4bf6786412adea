using SmartChain.Core.Genesis;

namespace SmartChain.Cli.Bench;

/// <summary>
/// One row of the comparison: the paper's Table I baselines (replica options of <c>node run</c>) and SmartChain in
/// both persistence modes. <see cref="PaperMint"/> and <see cref="PaperSpend"/> are the paper's figures (tx/s, 4
/// replicas on separate machines), for reference only.
/// </summary>
internal sealed record BenchConfiguration(string Key, string Name, PersistenceMode Persistence, IReadOnlyList<string> NodeArgs, double? PaperMint, double? PaperSpend)
{
    public static IReadOnlyList<BenchConfiguration> All { get; } =
    [
        new("seq-sync", "sequential verification, sync writes", PersistenceMode.Weak, ["--ledger", "naive-sync", "--verify-in-execution"], 1801, 1729),
        new("seq-async", "sequential verification, async writes", PersistenceMode.Weak, ["--ledger", "naive-async", "--verify-in-execution"], 1821, 1760),
        new("par-sync", "parallel verification, sync writes", PersistenceMode.Weak, ["--ledger", "naive-sync"], 4079, 3881),
        new("par-async", "parallel verification, async writes", PersistenceMode.Weak, ["--ledger", "naive-async"], 4149, 4027),
        new("par-none", "parallel verification, no ledger", PersistenceMode.Weak, ["--ledger", "none"], 15015, 14829),
        new("weak", "SmartChain, weak persistence", PersistenceMode.Weak, [], null, null),
        new("strong", "SmartChain, strong persistence", PersistenceMode.Strong, [], null, null),
    ];
}
