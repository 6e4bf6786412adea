namespace SmartChain.Storage.Simulation;

/// <summary>A swarm of seeds as a CI test; the command line (Program) runs ten thousand and more.</summary>
public sealed class StorageSimulationTests
{
    [Fact]
    public void Three_hundred_seeds_of_crash_restart_lose_nothing_reported_durable_and_use_nothing_corrupt()
    {
        var totals = new FaultCounts();
        var failures = new List<string>();
        for (int seed = 1; seed <= 300; seed++)
        {
            StorageRunResult result = StorageRun.Run(seed);
            totals.Add(result.Counts);
            if (result.Failure is not null)
            {
                failures.Add($"seed {seed}: {result.Failure} (replay: {result.ReplayCommand})");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(10)));

        // Every fault class is exercised, or the swarm proves less than it claims.
        Assert.True(totals[DiskEvent.PowerCuts] > 0 && totals[DiskEvent.ProcessCrashes] > 0, totals.PerThousand(300));
        Assert.True(totals[DiskEvent.TornWrites] > 0 && totals[DiskEvent.ZeroFilledTails] > 0, totals.PerThousand(300));
        Assert.True(totals[DiskEvent.FailedSyncs] > 0, totals.PerThousand(300));
        Assert.True(totals[DiskEvent.CorruptionsReported] > 0 && totals[DiskEvent.CorruptSnapshotsSkipped] > 0, totals.PerThousand(300));
    }

    [Fact]
    public void A_seed_replays_exactly()
    {
        StorageRunResult first = StorageRun.Run(42);
        StorageRunResult again = StorageRun.Run(42);
        Assert.Equal(first.Trace, again.Trace);
        Assert.Equal(first.Failure, again.Failure);
    }
}
