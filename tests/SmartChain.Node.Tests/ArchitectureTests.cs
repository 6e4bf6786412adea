using System.Reflection;
using SmartChain.Client;

namespace SmartChain.Node.Tests;

/// <summary>
/// The project graph docs/architecture.md draws, checked on the built assemblies: the replica platform names no
/// application (the composition supplies one), and a client does not carry a replica's storage code.
/// </summary>
public class ArchitectureTests
{
    [Fact]
    public void The_replica_platform_references_no_application()
    {
        IReadOnlyList<string> closure = AssemblyGraph.NamesOf(typeof(ReplicaHost).Assembly);
        Assert.Contains("SmartChain.Ledger", closure); // the walk sees the platform's own graph
        Assert.DoesNotContain("SmartChain.Coin", closure);
    }

    [Fact]
    public void A_client_carries_neither_the_block_store_nor_the_verifier_nor_the_key_chain()
    {
        string[] replicaOnly =
        [
            "SmartChain.Ledger.Store.BlockStore", "SmartChain.Ledger.Verification.LedgerVerifier", "SmartChain.Ledger.Verification.ChainReplayer",
            "SmartChain.Ledger.Checkpoints.SnapshotStore", "SmartChain.Reconfiguration.Keys.ViewKeyChain",
        ];
        IReadOnlyList<Assembly> closure = AssemblyGraph.Closure(typeof(ChainClient).Assembly);
        Assert.Contains(closure, a => a.GetName().Name == "SmartChain.Ledger"); // receipts and view proofs stay with the client
        string[] carried = [.. closure.SelectMany(a => a.GetTypes()).Select(t => t.FullName!).Intersect(replicaOnly)];
        Assert.True(carried.Length == 0, $"the client's assemblies carry {string.Join(", ", carried)}");
    }
}
