using SmartChain.Core.Crypto;
using SmartChain.Nemesis.Checking;
using SmartChain.Nemesis.Faults;
using SmartChain.Nemesis.History;
using SmartChain.Nemesis.Reporting;

namespace SmartChain.Nemesis.Tests;

/// <summary>The timeline, the recovery judgement and the plot, on a synthetic run: 10 ok/s, nothing during a fault, then back.</summary>
public sealed class NemesisPlotTests
{
    [Fact]
    public void The_recovery_after_the_heal_is_measured_and_a_run_that_stays_slow_is_reported()
    {
        IReadOnlyList<FaultEvent> timeline = Timeline();
        CheckReport fast = HistoryChecker.Check(Run(rateAfterHeal: 10), [], timeline, new RecoveryOptions { Bound = TimeSpan.FromSeconds(15) });
        CheckReport slow = HistoryChecker.Check(Run(rateAfterHeal: 2), [], timeline, new RecoveryOptions { Bound = TimeSpan.FromSeconds(15) });

        Assert.Equal(10, fast.Recovery!.BaselinePerSecond, precision: 0);
        Assert.Equal(10, fast.Recovery.RecoveredAfter!.Value.TotalSeconds, precision: 0); // the first full 10 s window after the heal
        Assert.DoesNotContain(fast.Violations, v => v.StartsWith("slow recovery", StringComparison.Ordinal));
        Assert.Null(slow.Recovery!.RecoveredAfter);
        Assert.Contains(slow.Violations, v => v.StartsWith("slow recovery", StringComparison.Ordinal));
    }

    [Fact]
    public void The_timeline_reads_back_and_the_plot_is_written_with_gaps_in_latency()
    {
        using var folder = new TempDirectory();
        string path = folder.File("timeline.jsonl");
        using (var timeline = new FaultTimeline(path))
        {
            foreach (FaultEvent e in Timeline())
            {
                timeline.Add(e);
            }
        }

        IReadOnlyList<FaultEvent> read = FaultTimeline.Read(path);
        Assert.Equal(Timeline(), read);
        string png = folder.File("run.png");
        NemesisPlot.Write(Run(rateAfterHeal: 10), read, png, "test run");
        Assert.True(new FileInfo(png).Length > 10_000);
    }

    [Fact]
    public void History_lines_read_back_and_a_bad_line_names_its_number()
    {
        using var folder = new TempDirectory();
        string path = folder.File("history.jsonl");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HistoryRecord record = Run(1)[1] with { Inputs = [Hash256.Compute([1])], Error = "timeout", Outcome = OperationOutcome.Unknown };
        using (var writer = new HistoryWriter(path, () => clock.Elapsed.TotalMilliseconds))
        {
            writer.Add(record);
        }

        HistoryRecord back = Assert.Single(HistoryJson.Read(path));
        Assert.Equal((record.Transaction, record.Outcome, record.Error, record.TimeMs), (back.Transaction, back.Outcome, back.Error, back.TimeMs));
        Assert.Equal(record.Inputs, back.Inputs);
        File.AppendAllText(path, "{\"t\":1,\"type\":\"maybe\"}\n");
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => HistoryJson.Read(path));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    private static FaultEvent[] Timeline() =>
    [
        new(0, FaultEvent.Note, "load", "load started"),
        new(20_000, FaultEvent.Start, "kill", "kill -9 replica 1") { Id = 1 },
        new(30_000, FaultEvent.End, "kill", "replica 1 restarted") { Id = 1 },
        new(30_000, FaultEvent.Heal, "heal", "every fault healed"),
    ];

    // 10 ok/s for 20 s, none during the fault (10 s), then rateAfterHeal ok/s for 40 s.
    private static List<HistoryRecord> Run(int rateAfterHeal)
    {
        var records = new List<HistoryRecord>();
        for (int s = 0; s < 70; s++)
        {
            int rate = s < 20 ? 10 : s < 30 ? 0 : rateAfterHeal;
            for (int k = 0; k < rate; k++)
            {
                double t = (s * 1000) + (k * 1000.0 / rate) + 1;
                Hash256 tx = Hash256.Compute(BitConverter.GetBytes(t));
                records.Add(new HistoryRecord(OperationOutcome.Invoke, k, OperationKind.Spend, tx, t - 20));
                records.Add(new HistoryRecord(OperationOutcome.Ok, k, OperationKind.Spend, tx, t) { LatencyMs = 20 });
            }
        }

        return records;
    }
}
