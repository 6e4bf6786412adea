using SmartChain.Core.Crypto;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;

namespace SmartChain.Node.Transfer;

/// <summary>The replica as state transfer sees it: where its chain ends, and the ways verified state goes into it.</summary>
internal interface ITransferTarget
{
    /// <summary>Number and hash of the last block this replica executed (or installed).</summary>
    (long Number, Hash256 Hash) Head { get; }

    /// <summary>The consensus instance of the last block this replica executed (a checkpoint block repeats the one before).</summary>
    long HeadConsensusId { get; }

    /// <summary>This replica's snapshot files; a downloaded snapshot becomes one of them.</summary>
    SnapshotStore Snapshots { get; }

    /// <summary>The replicas to ask (the members of the view this replica is in or joins, itself excluded).</summary>
    IReadOnlyCollection<int> Peers { get; }

    /// <summary>How many tips to wait for: Q − 1 of the view this replica talks to.</summary>
    int TipQuorum { get; }

    /// <summary>The views this replica knows, shared with it: proven views are added as they are learnt.</summary>
    Ledger.Reconfiguration.ViewHistory Views { get; }

    /// <summary>
    /// Waits until execution has applied everything the consensus core decided, and returns the head then. The core
    /// takes no votes or decisions from peers while a transfer runs, so the head stays put until the transfer moves
    /// it: blocks a snapshot covers are appended without execution, and nothing may execute in between.
    /// </summary>
    Task<(long Number, Hash256 Hash)> SettleAsync(CancellationToken cancellationToken);

    /// <summary>Appends a verified certified block that a snapshot will cover, without executing it.</summary>
    ValueTask AppendWithoutExecutingAsync(Block block, CancellationToken cancellationToken);

    /// <summary>
    /// Installs a verified snapshot (its hash and size in <paramref name="record"/>) as the state after block
    /// <paramref name="at"/>, which it appends.
    /// </summary>
    ValueTask InstallSnapshotAsync(Block at, ReplicaSnapshot snapshot, CheckpointRecord record, int regency, CancellationToken cancellationToken);

    /// <summary>The id of the newest view this replica knows (tips carry the proofs of the views after it).</summary>
    long KnownViewId => Views.Latest.View.Id;

    /// <summary>The id of the view this replica's state is in (older than <see cref="KnownViewId"/> while it lags a reconfiguration).</summary>
    long InViewId { get; }

    /// <summary>Hands a verified certified block to the core as a decision, to be executed and compared with it.</summary>
    ValueTask ReplayAsync(Block block, CancellationToken cancellationToken);

    /// <summary>Completes once block <paramref name="number"/> is durable here (bounds what transfer holds in memory).</summary>
    Task WaitForDurableAsync(long number, CancellationToken cancellationToken);
}
