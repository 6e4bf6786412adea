using SmartChain.Consensus;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Certification;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Ledger.Store;
using SmartChain.Reconfiguration;
using View = SmartChain.Core.Views.View;

namespace SmartChain.Node.Startup;

/// <summary>
/// What <see cref="ReplicaStartup"/> rebuilt from a replica's data folder, handed once to the components the host builds
/// from it. The record is immutable; the objects it carries are not, and each belongs to the one component it is given
/// to from then on (the store and the collector to the ledger pipeline, the core and the vote log to the consensus driver).
/// </summary>
internal sealed record RecoveredReplica
{
    /// <summary>The application the replay executed onto.</summary>
    public required IReplicatedApplication App { get; init; }

    /// <summary>The replica's block store, open for appending.</summary>
    public required BlockStore Store { get; init; }

    /// <summary>The replica's snapshot files.</summary>
    public required SnapshotStore Snapshots { get; init; }

    /// <summary>What the replay of the ledger found (head, last decided, uncertified and unreleased blocks).</summary>
    public required LedgerRecovery.Result Ledger { get; init; }

    /// <summary>Application and reconfiguration state after the last block.</summary>
    public ReplicatedStateMachine Machine => Ledger.Machine;

    /// <summary>Replies of executed requests, for retransmissions.</summary>
    public required ReplyCache Replies { get; init; }

    /// <summary>The replay-protection table as execution left it (the core keeps its own copy).</summary>
    public required ClientTable ExecutedClients { get; init; }

    /// <summary>The consensus core, with the votes of undecided instances and the recent decisions restored.</summary>
    public required ReplicaCore ConsensusCore { get; init; }

    /// <summary>The vote log, open for appending.</summary>
    public required VoteLog Votes { get; init; }

    /// <summary>The votes of undecided instances read back from the vote log (restored into the core).</summary>
    public IReadOnlyList<VoteRecord> RestoredVotes { get; init; } = [];

    /// <summary>Every view the ledger installed, by the block that installed it.</summary>
    public required ViewHistory History { get; init; }

    /// <summary>The proofs of the certified views after genesis.</summary>
    public required Views.ViewProofs ViewProofs { get; init; }

    /// <summary>The newest reconfiguration block if it still waits for its certificate (then the ledger pipeline's).</summary>
    public required Dictionary<long, (BuiltBlock Block, View Installed)> UncertifiedReconfigurations { get; init; }

    /// <summary>The view keys this replica keeps.</summary>
    public required Views.ViewSigner Signer { get; init; }

    /// <summary>The view the network links start with (a joining replica's: the view that admitted it).</summary>
    public required View NetworkView { get; init; }

    /// <summary>The certificate collector, primed with the views and this replica's signatures of uncertified blocks.</summary>
    public required CertificateCollector Collector { get; init; }

    /// <summary>This replica's signatures of the uncertified blocks, to send again.</summary>
    public required Dictionary<long, (Hash256 Hash, byte[] Signature)> MySignatures { get; init; }
}
