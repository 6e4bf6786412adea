using ScottPlot;
using SmartChain.Nemesis.Faults;
using SmartChain.Nemesis.History;

namespace SmartChain.Nemesis.Reporting;

/// <summary>
/// The picture of a run: ok operations per second (left axis) and the p50 and p99 latency of the operations completed
/// in each second (right axis) against time, every fault a shaded span labelled with its kind, the heal a line.
/// </summary>
public static class NemesisPlot
{
    private static readonly Dictionary<string, Color> Colors = new(StringComparer.Ordinal)
    {
        ["partition-leader"] = ScottPlot.Colors.Red,
        ["partition-minority"] = ScottPlot.Colors.OrangeRed,
        ["partition-bridge"] = ScottPlot.Colors.DarkOrange,
        ["kill"] = ScottPlot.Colors.Purple,
        ["pause"] = ScottPlot.Colors.Blue,
        ["loss"] = ScottPlot.Colors.Teal,
        ["delay"] = ScottPlot.Colors.Olive,
        ["wipe"] = ScottPlot.Colors.Brown,
        ["leave"] = ScottPlot.Colors.Magenta,
        ["join"] = ScottPlot.Colors.Magenta,
    };

    /// <summary>Writes the plot of <paramref name="history"/> and <paramref name="timeline"/> to <paramref name="pngPath"/>.</summary>
    public static void Write(IReadOnlyList<HistoryRecord> history, IReadOnlyList<FaultEvent> timeline, string pngPath, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(timeline);
        double end = Math.Max(history.Count == 0 ? 1 : history.Max(r => r.TimeMs), timeline.Count == 0 ? 1 : timeline.Max(e => e.TimeMs)) / 1000;
        int seconds = (int)Math.Ceiling(end) + 1;
        double[] okPerSecond = new double[seconds];
        var latencies = new List<double>[seconds];
        for (int s = 0; s < seconds; s++)
        {
            latencies[s] = [];
        }

        foreach (HistoryRecord r in history)
        {
            if (r.Outcome == OperationOutcome.Invoke)
            {
                continue;
            }

            int s = Math.Clamp((int)(r.TimeMs / 1000), 0, seconds - 1);
            if (r.Outcome == OperationOutcome.Ok)
            {
                okPerSecond[s]++;
            }

            if (r.LatencyMs is double latency)
            {
                latencies[s].Add(latency);
            }
        }

        double[] xs = [.. Enumerable.Range(0, seconds).Select(s => s + 0.5)];
        var plot = new Plot();
        double top = Math.Max(1, okPerSecond.Max()) * 1.25;
        var fault = new Dictionary<int, FaultEvent>();
        int row = 0;
        foreach (FaultEvent e in timeline)
        {
            if (e.Phase == FaultEvent.Start)
            {
                fault[e.Id] = e;
            }
            else if (e.Phase == FaultEvent.End && fault.Remove(e.Id, out FaultEvent? started))
            {
                Span(plot, started, e.TimeMs, top, row++);
            }
            else if (e.Phase == FaultEvent.Heal)
            {
                var line = plot.Add.VerticalLine(e.TimeMs / 1000);
                line.Color = ScottPlot.Colors.Green;
                line.LineWidth = 2;
                line.Text = "healed";
            }
        }

        foreach (FaultEvent open in fault.Values)
        {
            Span(plot, open, end * 1000, top, row++);
        }

        var throughput = plot.Add.Scatter(xs, okPerSecond);
        throughput.MarkerSize = 0;
        throughput.LineWidth = 1.5f;
        throughput.Color = ScottPlot.Colors.Black;
        throughput.LegendText = "ok operations / s";

        double[] p50 = [.. latencies.Select(l => Percentile(l, 0.50))];
        double[] p99 = [.. latencies.Select(l => Percentile(l, 0.99))];
        var median = plot.Add.Scatter(xs, p50);
        median.MarkerSize = 0;
        median.LineWidth = 1;
        median.Color = ScottPlot.Colors.SteelBlue;
        median.LegendText = "latency p50 (ms, right)";
        median.Axes.YAxis = plot.Axes.Right;
        var tail = plot.Add.Scatter(xs, p99);
        tail.MarkerSize = 0;
        tail.LineWidth = 1;
        tail.Color = ScottPlot.Colors.IndianRed;
        tail.LegendText = "latency p99 (ms, right)";
        tail.Axes.YAxis = plot.Axes.Right;

        plot.Title(title);
        plot.XLabel("seconds since the start");
        plot.YLabel("ok operations per second");
        plot.Axes.Right.Label.Text = "latency of the operations completed in that second (ms)";
        plot.Axes.SetLimitsY(0, top, plot.Axes.Left);
        plot.Axes.SetLimitsY(0, Math.Max(1, p99.Max()) * 1.1, plot.Axes.Right);
        plot.Axes.SetLimitsX(0, end);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(pngPath, 1800, 800);
    }

    private static void Span(Plot plot, FaultEvent started, double endMs, double top, int row)
    {
        Color color = Colors.GetValueOrDefault(started.Kind, ScottPlot.Colors.Gray);
        var span = plot.Add.HorizontalSpan(started.TimeMs / 1000, endMs / 1000);
        span.FillStyle.Color = color.WithAlpha(0.18);
        span.LineStyle.Width = 0;
        var label = plot.Add.Text(started.Kind, started.TimeMs / 1000, top * (0.98 - (0.05 * (row % 3))));
        label.LabelFontSize = 11;
        label.LabelFontColor = color;
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        return values[Math.Min(values.Count - 1, (int)(p * values.Count))];
    }
}
