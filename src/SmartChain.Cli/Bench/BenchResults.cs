namespace SmartChain.Cli.Bench;

/// <summary>Everything one benchmark run measured.</summary>
internal sealed record BenchResults(DateTime Finished, MachineCeilings Ceilings, int Replicas, IReadOnlyList<BenchPoint> Points)
{
    /// <summary>The repeated runs of a configuration and operation (the sweep's points when there were none).</summary>
    public IReadOnlyList<BenchPoint> Runs(string configuration, string operation)
    {
        List<BenchPoint> runs = [.. Points.Where(p => p.Configuration == configuration && p.Operation == operation && !p.Sweep && p.OfferedRate is null)];
        return runs.Count > 0 ? runs : [.. Points.Where(p => p.Configuration == configuration && p.Operation == operation && p.OfferedRate is null)];
    }

    /// <summary>The open-loop runs of a configuration and operation, by offered rate.</summary>
    public IReadOnlyList<BenchPoint> Paced(string configuration, string operation) =>
        [.. Points.Where(p => p.Configuration == configuration && p.Operation == operation && p.OfferedRate is not null).OrderBy(p => p.OfferedRate)];

    /// <summary>Median tx/s of the runs, or null if none ran.</summary>
    public double? Median(string configuration, string operation)
    {
        double[] values = [.. Runs(configuration, operation).Select(p => p.Result.TxPerSecond).Order()];
        return values.Length == 0 ? null : values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }

    /// <summary>The run whose tx/s is the median (for its latency figures).</summary>
    public BenchPoint? MedianRun(string configuration, string operation)
    {
        BenchPoint[] runs = [.. Runs(configuration, operation).OrderBy(p => p.Result.TxPerSecond)];
        return runs.Length == 0 ? null : runs[runs.Length / 2];
    }
}
