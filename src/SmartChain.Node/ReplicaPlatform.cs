namespace SmartChain.Node;

/// <summary>
/// What a replica takes from the machine it runs on, in one place so that a simulator can supply all of it: the clock
/// (every timer, delay, timeout and "now" the components use), where background work runs, the context of the
/// consensus loop, and randomness. <see cref="Default"/> is the real machine; the whole-replica simulator
/// (tests/SmartChain.ReplicaSimulation) passes virtual time, a single-threaded scheduler and a seeded generator, and
/// in-memory links through <see cref="Links"/>, and a simulated disk through <see cref="Storage"/>. Metrics-only
/// stopwatches stay on the real clock.
/// </summary>
public sealed record ReplicaPlatform
{
    /// <summary>The clock of every timer, delay, timeout and "now" the replica's components use.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where work that must not hold up a loop runs (snapshot encoding, snapshot chunks served to peers).</summary>
    public TaskScheduler Background { get; init; } = TaskScheduler.Default;

    /// <summary>
    /// The context the consensus loop runs in; null (the default): a dedicated thread of its own. Whatever it is, the core
    /// is only ever touched from it (the driver checks on every input).
    /// </summary>
    public SynchronizationContext? ConsensusContext { get; init; }

    /// <summary>
    /// Randomness that only has to differ between incarnations (state-transfer request ids); the simulator seeds it so a
    /// run replays. Used from one loop at a time.
    /// </summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>The replica's links to peers and from clients; null (the default): real TCP with SecureLink (<see cref="Network.TcpTransport"/>).</summary>
    public Network.IReplicaTransport? Links { get; init; }

    /// <summary>
    /// The disk under the data folder: block store, vote log, snapshot files and state-transfer downloads, at start-up
    /// (recovery) and while running. Key files, the node configuration and logs are read or written once, outside a
    /// run's data path, and stay on the real file system.
    /// </summary>
    public Core.IO.IStorage Storage { get; init; } = Core.IO.FileSystemStorage.Instance;

    /// <summary>The real machine.</summary>
    public static ReplicaPlatform Default { get; } = new();
}
