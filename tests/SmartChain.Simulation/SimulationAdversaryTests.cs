namespace SmartChain.Simulation;

/// <summary>The mutating Byzantine replica, Twins, and the liveness bound after the faults end.</summary>
public class SimulationAdversaryTests
{
    /// <summary>Fixed seeds with a mutating Byzantine replica (<c>--faults mutate</c>): every invariant and the bound hold.</summary>
    [Theory]
    [InlineData(5UL)]
    [InlineData(17UL)]
    [InlineData(23UL)]
    [InlineData(64UL)]
    public void A_mutating_byzantine_replica_breaks_no_invariant_and_misses_no_bound(ulong seed)
    {
        SimulationConfig config = SimulationConfig.FromSeed(seed).WithMutate();
        SimulationResult result = Simulation.Run(config);
        Assert.True(result.Passed, result.ToString());
        Assert.True(result.Lies > 0, $"the mutating replica told no lie: {result}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void A_replica_that_mutates_everything_it_sends_is_survived_and_as_leader_replaced(int traitor)
    {
        var config = new SimulationConfig
        {
            Seed = 93, Clients = 3, RequestsPerClient = 10, ClientWindow = 2, MaxBatch = 4, MaxDelayMs = 20,
            ByzantineReplica = traitor, Behaviour = ByzantineBehaviour.Mutate, MutateProbability = 1.0,
        };
        SimulationResult result = Simulation.Run(config);
        Assert.True(result.Passed, result.ToString());
        Assert.True(result.Lies > 50 && result.Undecodable > 0, $"the adversary must lie, some of it beyond what decodes: {result}");
        Assert.Equal(traitor == 0, result.Regency > 0);
    }

    /// <summary>Fixed seeds with Twins (<c>--faults twins</c>): one id run twice breaks no invariant and misses no bound.</summary>
    [Theory]
    [InlineData(3UL)]
    [InlineData(12UL)]
    [InlineData(31UL)]
    [InlineData(58UL)]
    public void Twins_break_no_invariant_and_miss_no_bound(ulong seed)
    {
        SimulationConfig config = SimulationConfig.FromSeed(seed).WithTwins();
        SimulationResult result = Simulation.Run(config);
        Assert.True(result.Passed, result.ToString());
        Assert.True(result.Config.TwinReplica >= 0);
    }

    [Fact]
    public void Twins_of_the_leader_propose_twice_and_are_survived()
    {
        // Both copies of replica 0 lead regency 0 with pools of their own, so they propose different batches.
        var config = new SimulationConfig
        {
            Seed = 94, Clients = 4, RequestsPerClient = 10, ClientWindow = 3, MaxBatch = 2, MaxDelayMs = 30, TwinReplica = 0,
        };
        SimulationResult result = Simulation.Run(config);
        Assert.True(result.Passed, result.ToString());
        Assert.Equal(40, result.Config.Clients * result.Config.RequestsPerClient);
    }

    [Fact]
    public void After_a_leader_crash_the_wait_for_ordering_spans_a_timeout_and_stays_within_the_bound()
    {
        // The leader is gone from the start: the first requests wait a whole request timeout (T ticks) for a new leader.
        var config = new SimulationConfig
        {
            Seed = 95, Clients = 2, RequestsPerClient = 5, ClientWindow = 2, MaxDelayMs = 20, BadPeriodMs = 0,
            CrashedReplica = 0, CrashAtMs = 0,
        };
        SimulationResult result = Simulation.Run(config);
        Assert.True(result.Passed, result.ToString());
        Assert.InRange(result.WaitTicks, config.RequestTimeoutTicks, result.BoundTicks);
        Assert.Equal(Simulation.BoundTicks(config, 10, 0), result.BoundTicks);
    }

    [Fact]
    public void The_bound_is_the_documented_one_with_a_term_per_faulty_leader_in_a_row()
    {
        // T = 50, RetransmitTicks = 10, Δ = 2 ticks, one more tick for a wait begun between ticks.
        var one = new SimulationConfig { MaxDelayMs = 20, ByzantineReplica = 0, Behaviour = ByzantineBehaviour.Mutate };
        Assert.Equal(50 + 100 + 30 + 12 + 1, Simulation.BoundTicks(one, 10, 0));
        Assert.Equal(200 + 400 + 30 + 12 + 1, Simulation.BoundTicks(one, 10, 2));
        Assert.Equal((50 * 64) + (50 * 64) + 30 + 12 + 1, Simulation.BoundTicks(one, 10, 9));
        SimulationConfig two = one with { Replicas = 7, CrashedReplica = 1 };
        Assert.Equal(50 + 100 + 200 + 30 + 12 + 1, Simulation.BoundTicks(two, 10, 0));
    }
}
