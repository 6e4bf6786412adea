using SmartChain.Consensus;

namespace SmartChain.Storage.Simulation;

/// <summary>
/// What the code under test reported durable so far: a group commit that returned, a vote append (fsynced) that
/// returned, a snapshot write that returned, or what a restarted replica read back and treats as its own.
/// </summary>
internal sealed class Durable
{
    /// <summary>Highest block a commit (or a restart) reported durable.</summary>
    public long Height { get; set; } = -1;

    /// <summary>Blocks whose certificate was reported durable.</summary>
    public HashSet<long> Certificates { get; } = [];

    /// <summary>Votes whose append returned (or that a restart restored).</summary>
    public List<VoteRecord> Votes { get; } = [];

    /// <summary>Checkpoint blocks whose snapshot file write returned.</summary>
    public HashSet<long> Snapshots { get; } = [];
}
