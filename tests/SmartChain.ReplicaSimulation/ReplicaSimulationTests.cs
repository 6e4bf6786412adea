namespace SmartChain.ReplicaSimulation;

/// <summary>
/// A few seeds of the whole-replica simulation in CI (the swarm runs from the command line, Program.cs): real replica
/// compositions on one thread in virtual time, faults drawn from the seed, every invariant checked.
/// </summary>
public sealed class ReplicaSimulationTests
{
    // Short runs: 1.5 virtual seconds of faults, then the liveness probe and the settle.
    private const long FaultyMs = 1_500;

    [Theory]
    [InlineData(3UL)]
    [InlineData(7UL)]
    public void A_seed_keeps_every_invariant(ulong seed)
    {
        SimOutcome outcome = ReplicaSimulation.Run(seed, FaultyMs);

        Assert.True(outcome.Passed, outcome.ToString());
        Assert.True(outcome.Acknowledged > 0, outcome.ToString());
        Assert.True(outcome.Height > 0, outcome.ToString());
        Assert.Equal(0, outcome.Escapes); // nothing ran outside the simulator's scheduler
    }

    // Seeds the swarm failed on: a replica restarted with one block uncertified below blocks it had certified kept its
    // certified prefix below them for good once that block's certificate came (the pipeline counted only certificates
    // made after the restart). Clean stops and no reconfiguration, as when the seeds were found (the disk and the
    // reconfiguration draws give them other runs now).
    [Theory]
    [InlineData(123UL)]
    [InlineData(1095UL)]
    public void A_replica_restarted_with_a_hole_in_its_certificates_certifies_everything_again(ulong seed)
    {
        SimOutcome outcome = ReplicaSimulation.Run(seed, adjust: f => f with { Disk = new SimDiskFaults() }, reconfigure: _ => new SimReconfiguration());

        Assert.True(outcome.Restarts > 0, outcome.ToString());
        Assert.True(outcome.Passed, outcome.ToString());
    }

    // Seed 389: a restarted replica's state transfer waited for the last tip with Task.WhenAny over the requests and a
    // grace delay; the delay's task (TimeProvider's Task.Delay) completes its continuations asynchronously, so the
    // WhenAny promise ran on the thread pool and posted the transfer's next step from there: an escape.
    [Fact]
    public void The_state_transfers_tip_grace_stays_inside_the_simulator()
    {
        SimOutcome outcome = ReplicaSimulation.Run(389);

        Assert.True(outcome.Restarts > 0, outcome.ToString());
        Assert.True(outcome.Passed, outcome.ToString());
        Assert.True(outcome.Escapes == 0, outcome.FirstEscape);
    }

    [Fact]
    public void A_seed_with_a_crash_restart_and_a_partition_replays_to_the_same_trace()
    {
        static SimFaults Pinned(SimFaults drawn) => drawn with
        {
            Crashes = [(2, 400 * TimeSpan.TicksPerMillisecond, 300 * TimeSpan.TicksPerMillisecond)],
            Partition = (1, 100 * TimeSpan.TicksPerMillisecond, 600 * TimeSpan.TicksPerMillisecond),
        };

        SimOutcome first = ReplicaSimulation.Run(11, FaultyMs, Pinned);
        SimOutcome again = ReplicaSimulation.Run(11, FaultyMs, Pinned);

        Assert.True(first.Passed, first.ToString());
        Assert.Equal(1, first.Restarts);
        Assert.True(first.Lost > 0, first.ToString()); // the partition dropped frames
        Assert.Equal(first.TraceHash, again.TraceHash);
        Assert.Equal(first.Steps, again.Steps);
        Assert.Equal(first.Acknowledged, again.Acknowledged);
    }
}
