using ScottPlot;

namespace SmartChain.Cli.Bench;

/// <summary>PNG charts of a benchmark run: SPEND throughput against clients, and latency against throughput.</summary>
internal static class BenchCharts
{
    public static IReadOnlyList<string> Write(BenchResults results, string folder)
    {
        string throughput = Path.Combine(folder, "throughput-vs-clients.png");
        string latency = Path.Combine(folder, "latency-vs-throughput.png");
        var byClients = new Plot();
        var byThroughput = new Plot();
        foreach (IGrouping<string, BenchPoint> config in results.Points.Where(p => p.Operation == "spend").GroupBy(p => p.Configuration))
        {
            // Per client count, the median of what was measured there.
            var points = config.GroupBy(p => p.Clients).OrderBy(g => g.Key)
                .Select(g => (Clients: (double)g.Key, Tx: Median(g.Select(p => p.Result.TxPerSecond)), P50: Median(g.Select(p => p.Result.P50Ms))))
                .ToArray();
            var line = byClients.Add.Scatter(points.Select(p => p.Clients).ToArray(), points.Select(p => p.Tx).ToArray());
            line.LegendText = config.Key;
            var curve = byThroughput.Add.Scatter(points.Select(p => p.Tx).ToArray(), points.Select(p => p.P50).ToArray());
            curve.LegendText = config.Key;
        }

        byClients.Title("SPEND throughput against concurrent clients (4 SPEND chains each)");
        byClients.XLabel("clients");
        byClients.YLabel("tx/s");
        byClients.ShowLegend();
        byClients.SavePng(throughput, 900, 540);
        byThroughput.Title("SPEND median latency against throughput");
        byThroughput.XLabel("tx/s");
        byThroughput.YLabel("p50 latency (ms)");
        byThroughput.ShowLegend();
        byThroughput.SavePng(latency, 900, 540);
        return [throughput, latency];
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
