using SmartChain.Core;

namespace SmartChain.Simulation;

/// <summary>Everything one simulated run depends on, derived from its seed so that a seed alone reproduces it.</summary>
public sealed record SimulationConfig
{
    public ulong Seed { get; init; }

    public int Replicas { get; init; } = 4;

    public int Clients { get; init; } = 3;

    public int RequestsPerClient { get; init; } = 8;

    /// <summary>Requests a client keeps in flight.</summary>
    public int ClientWindow { get; init; } = 3;

    public int MaxBatch { get; init; } = 16;

    public int TickMs { get; init; } = 10;

    public int MinDelayMs { get; init; } = 1;

    public int MaxDelayMs { get; init; } = 20;

    /// <summary>Loss, duplication and partitions happen only before this time; after it the network behaves.</summary>
    public int BadPeriodMs { get; init; } = 2_000;

    public double DropProbability { get; init; }

    public double DuplicateProbability { get; init; }

    /// <summary>A replica cut off from everyone during part of the bad period, or -1.</summary>
    public int PartitionedReplica { get; init; } = -1;

    public int PartitionStartMs { get; init; }

    public int PartitionEndMs { get; init; }

    public int ClientRetryMs { get; init; } = 300;

    /// <summary>A replica that crashes (stops for good: sends and receives nothing, ticks no more), or -1.</summary>
    public int CrashedReplica { get; init; } = -1;

    public int CrashAtMs { get; init; }

    /// <summary>A replica that is Byzantine from the start, or -1 (at most f faulty replicas in all, crashes included).</summary>
    public int ByzantineReplica { get; init; } = -1;

    public ByzantineBehaviour Behaviour { get; init; }

    /// <summary>With <see cref="ByzantineBehaviour.Mutate"/>: the chance that each message it sends is mutated.</summary>
    public double MutateProbability { get; init; } = 0.5;

    /// <summary>
    /// A replica id run twice (Twins): a second core with the same id and keys but its own state, connected to everyone;
    /// -1: none. The id counts as the seed's faulty replica.
    /// </summary>
    public int TwinReplica { get; init; } = -1;

    /// <summary>
    /// Every replica crashes at once (the whole cluster loses power) at this time, or at the first leader change
    /// after it if <see cref="CrashAllOnLeaderChange"/>; -1: never. Each restarts from what it persisted.
    /// </summary>
    public int CrashAllAtMs { get; init; } = -1;

    /// <summary>The whole-cluster crash waits for the first STOP persisted after <see cref="CrashAllAtMs"/> (at most 1.5 s).</summary>
    public bool CrashAllOnLeaderChange { get; init; }

    /// <summary>Downtime of the whole-cluster crash.</summary>
    public int RestartAfterMs { get; init; } = 100;

    /// <summary>Extra downtime of the replica that led when the cluster crashed, so a leader change follows the restart.</summary>
    public int LeaderRestartDelayMs { get; init; }

    /// <summary>
    /// Decisions delivered this recently before the crash may not be in the ledger yet (group commit): each replica
    /// loses those of the last 0..this many ms. Votes are never lost: they are fsynced before they are sent.
    /// </summary>
    public int LedgerLagMs { get; init; }

    /// <summary>Ticks without progress before a replica asks for the next regency.</summary>
    public int RequestTimeoutTicks { get; init; } = 50;

    /// <summary>Each sender→receiver link delivers in order, as TCP does; otherwise every message is reordered freely.</summary>
    public bool FifoLinks { get; init; }

    /// <summary>Virtual time by which every request must be decided everywhere.</summary>
    public int DeadlineMs { get; init; } = 60_000;

    /// <summary>A random but reproducible configuration: 4 or 7 replicas, loss, duplication, reordering, partitions.</summary>
    public static SimulationConfig FromSeed(ulong seed)
    {
        var random = new SplitMix64(seed * 0x9E3779B97F4A7C15UL + 1);
        int replicas = random.Chance(0.25) ? 7 : 4;
        int bad = random.NextInt(500, 3_000);
        bool partition = random.Chance(0.4);
        int partitionStart = random.NextInt(0, bad / 2);
        // Crashes draw from a generator of their own, so every older seed keeps the network it always had.
        var faults = new SplitMix64((seed * 0xD1B54A32D192ED03UL) + 7);
        bool crash = faults.Chance(0.35);
        int crashed = faults.Chance(0.6) ? 0 : faults.NextInt(0, replicas - 1); // the first leader, most often
        int crashAt = faults.NextInt(0, 2_000);
        bool byzantine = faults.Chance(0.3);
        var behaviour = (ByzantineBehaviour)faults.NextInt(1, 6);
        int traitor = faults.Chance(0.6) ? 0 : faults.NextInt(0, replicas - 1);
        if (byzantine && crash && (replicas < 7 || traitor == crashed))
        {
            crash = false; // n = 4 tolerates one faulty replica
        }

        // The fault classes added later draw from a third generator, so older seeds keep their network and faults.
        var later = new SplitMix64((seed * 0xA24BAED4963EE407UL) + 11);
        bool crashAll = later.Chance(0.15);
        int crashAllAt = later.NextInt(100, 2_500);
        bool onLeaderChange = later.Chance(0.5);
        int restartAfter = later.NextInt(10, 400);
        int leaderDelay = later.Chance(0.7) ? later.NextInt(600, 3_000) : 0;
        int ledgerLag = later.NextInt(0, 60);
        var config = new SimulationConfig
        {
            Seed = seed,
            Replicas = replicas,
            Clients = random.NextInt(1, 5),
            RequestsPerClient = random.NextInt(3, 12),
            ClientWindow = random.NextInt(1, 4),
            MaxBatch = random.NextInt(1, 20),
            MinDelayMs = 1,
            MaxDelayMs = random.NextInt(2, 60),
            BadPeriodMs = bad,
            DropProbability = random.NextInt(0, 30) / 100.0,
            DuplicateProbability = random.NextInt(0, 20) / 100.0,
            PartitionedReplica = partition ? random.NextInt(0, replicas - 1) : -1,
            PartitionStartMs = partitionStart,
            PartitionEndMs = partitionStart + random.NextInt(100, bad / 2),
            FifoLinks = random.Chance(0.5),
            CrashedReplica = crash ? crashed : -1,
            CrashAtMs = crashAt,
            ByzantineReplica = byzantine ? traitor : -1,
            Behaviour = byzantine ? behaviour : ByzantineBehaviour.None,
            CrashAllAtMs = crashAll ? crashAllAt : -1,
            CrashAllOnLeaderChange = onLeaderChange,
            RestartAfterMs = restartAfter,
            LeaderRestartDelayMs = leaderDelay,
            LedgerLagMs = ledgerLag,
        };
        return config.WithAdversaryDraws();
    }

    /// <summary>
    /// The mutating Byzantine replica and Twins, drawn from a fourth generator (older seeds keep their network and
    /// faults), each only where it keeps the faulty ids at most f: a seed whose older faults fill f gets neither.
    /// </summary>
    private SimulationConfig WithAdversaryDraws()
    {
        // The offset is the first that leaves every pinned seed of SimulationTests without a new fault, so each keeps
        // replaying the scenario it was pinned for (Pinned_seeds_draw_no_mutating_replica_or_twins).
        var draws = new SplitMix64((Seed * 0x9FB21C651E98DF25UL) + 77);
        bool mutate = draws.Chance(0.12);
        bool twins = draws.Chance(0.08);
        int pick = draws.NextInt(0, Replicas - 1);
        double probability = draws.NextInt(5, 90) / 100.0;
        SimulationConfig config = this;
        if (mutate && config.Room(pick))
        {
            config = config with { ByzantineReplica = pick, Behaviour = ByzantineBehaviour.Mutate, MutateProbability = probability };
        }
        else if (twins && config.Room(pick))
        {
            config = config with { TwinReplica = pick };
        }

        return config;
    }

    /// <summary>True if making <paramref name="replica"/> faulty keeps one faulty id at most per f.</summary>
    private bool Room(int replica)
    {
        int f = (Replicas - 1) / 3;
        int faulty = (CrashedReplica >= 0 ? 1 : 0) + (ByzantineReplica >= 0 ? 1 : 0) + (TwinReplica >= 0 ? 1 : 0);
        return faulty < f && !IsFaulty(replica) && ByzantineReplica < 0;
    }

    public override string ToString() =>
        $"seed {Seed}: n={Replicas} clients={Clients}x{RequestsPerClient} window={ClientWindow} maxBatch={MaxBatch} " +
        $"delay={MinDelayMs}..{MaxDelayMs}ms{(FifoLinks ? " fifo" : "")} drop={DropProbability:0.00} dup={DuplicateProbability:0.00} bad<{BadPeriodMs}ms" +
        (PartitionedReplica >= 0 ? $" partition(r{PartitionedReplica} {PartitionStartMs}..{PartitionEndMs}ms)" : "") +
        (CrashedReplica >= 0 ? $" crash(r{CrashedReplica} at {CrashAtMs}ms)" : "") +
        (ByzantineReplica >= 0 ? $" byzantine(r{ByzantineReplica} {Behaviour}{(Behaviour == ByzantineBehaviour.Mutate ? $" p={MutateProbability:0.00}" : "")})" : "") +
        (TwinReplica >= 0 ? $" twins(r{TwinReplica})" : "") +
        (CrashAllAtMs >= 0 ? $" crash-all({(CrashAllOnLeaderChange ? "first stop after " : "at ")}{CrashAllAtMs}ms, down {RestartAfterMs}ms, leader +{LeaderRestartDelayMs}ms, ledger lag {LedgerLagMs}ms)" : "");

    /// <summary>
    /// This configuration with a Byzantine replica for sure (the swarm's <c>--faults byzantine</c>): the seed picks it
    /// (the first leader, most often) and its behaviour; a crash is dropped where n = 4 tolerates only one fault.
    /// </summary>
    public SimulationConfig WithByzantine()
    {
        if (ByzantineReplica >= 0)
        {
            return this;
        }

        var pick = new SplitMix64(Seed ^ 0x5DEECE66DUL);
        int traitor = pick.Chance(0.6) ? 0 : pick.NextInt(0, Replicas - 1);
        bool keepCrash = Replicas >= 7 && CrashedReplica != traitor;
        return this with
        {
            ByzantineReplica = traitor,
            Behaviour = (ByzantineBehaviour)pick.NextInt(1, 6),
            CrashedReplica = keepCrash ? CrashedReplica : -1,
            TwinReplica = -1,
        };
    }

    /// <summary>This configuration with a whole-cluster crash for sure (the swarm's <c>--faults crash-all</c>), drawn from the seed.</summary>
    public SimulationConfig WithCrashAll()
    {
        if (CrashAllAtMs >= 0)
        {
            return this;
        }

        var pick = new SplitMix64(Seed ^ 0xC4A5A11UL);
        return this with
        {
            CrashAllAtMs = pick.NextInt(100, 2_500),
            CrashAllOnLeaderChange = pick.Chance(0.5),
            RestartAfterMs = pick.NextInt(10, 400),
            LeaderRestartDelayMs = pick.Chance(0.7) ? pick.NextInt(600, 3_000) : 0,
            LedgerLagMs = pick.NextInt(0, 60),
        };
    }

    /// <summary>
    /// This configuration with a mutating Byzantine replica for sure (<c>--faults mutate</c>): an existing Byzantine
    /// replica turns mutating; otherwise one is drawn from the seed, and older faults beyond f are dropped.
    /// </summary>
    public SimulationConfig WithMutate()
    {
        var pick = new SplitMix64(Seed ^ 0x3A7E5EEDUL);
        double probability = pick.NextInt(5, 90) / 100.0;
        if (ByzantineReplica >= 0)
        {
            return this with { Behaviour = ByzantineBehaviour.Mutate, MutateProbability = probability, TwinReplica = -1 };
        }

        int traitor = pick.Chance(0.5) ? 0 : pick.NextInt(0, Replicas - 1);
        bool keepCrash = Replicas >= 7 && CrashedReplica != traitor;
        return this with
        {
            ByzantineReplica = traitor,
            Behaviour = ByzantineBehaviour.Mutate,
            MutateProbability = probability,
            CrashedReplica = keepCrash ? CrashedReplica : -1,
            TwinReplica = -1,
        };
    }

    /// <summary>This configuration with Twins for sure (<c>--faults twins</c>): the Byzantine replica, if any, is dropped.</summary>
    public SimulationConfig WithTwins()
    {
        if (TwinReplica >= 0)
        {
            return this;
        }

        var pick = new SplitMix64(Seed ^ 0x7717A5UL);
        int twin = pick.Chance(0.5) ? 0 : pick.NextInt(0, Replicas - 1);
        bool keepCrash = Replicas >= 7 && CrashedReplica != twin;
        return this with
        {
            TwinReplica = twin,
            ByzantineReplica = -1,
            Behaviour = ByzantineBehaviour.None,
            CrashedReplica = keepCrash ? CrashedReplica : -1,
        };
    }

    /// <summary>True for a replica whose decisions and progress the invariants do not cover.</summary>
    public bool IsFaulty(int replica) => replica == CrashedReplica || replica == ByzantineReplica || replica == TwinReplica;

    /// <summary>How many replica ids are faulty (crashed, Byzantine, twinned).</summary>
    public int FaultyCount => (CrashedReplica >= 0 ? 1 : 0) + (ByzantineReplica >= 0 ? 1 : 0) + (TwinReplica >= 0 ? 1 : 0);
}
