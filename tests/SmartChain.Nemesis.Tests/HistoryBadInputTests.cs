using SmartChain.Core.Crypto;
using SmartChain.Nemesis.Checking;
using SmartChain.Nemesis.Faults;
using SmartChain.Nemesis.History;

namespace SmartChain.Nemesis.Tests;

/// <summary>
/// Damaged history and timeline files (second reader of issue 14): a truncated line or a moment no run can have is a
/// clear error naming the file's line, and the recovery judgement never sweeps a span no run can last.
/// </summary>
public sealed class HistoryBadInputTests
{
    private static readonly string Tx = Hash256.Compute([7]).ToString();

    [Theory]
    [InlineData("1e300")]
    [InlineData("-5")]
    [InlineData("1e18")]
    public void A_history_line_whose_time_no_run_can_have_is_refused_with_its_line(string time)
    {
        using var folder = new TempDirectory();
        string path = folder.File("history.jsonl");
        File.WriteAllLines(path,
        [
            $"{{\"t\":1,\"type\":\"invoke\",\"process\":0,\"kind\":\"mint\",\"tx\":\"{Tx}\"}}",
            $"{{\"t\":{time},\"type\":\"ok\",\"process\":0,\"kind\":\"mint\",\"tx\":\"{Tx}\"}}",
        ]);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => HistoryJson.Read(path));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"t\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_last_line_is_refused_with_its_line()
    {
        using var folder = new TempDirectory();
        string path = folder.File("history.jsonl");
        string line = $"{{\"t\":1,\"type\":\"invoke\",\"process\":0,\"kind\":\"mint\",\"tx\":\"{Tx}\"}}";
        File.WriteAllText(path, line + "\n" + line[..^9]);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => HistoryJson.Read(path));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeline_event_whose_time_no_run_can_have_is_refused_with_its_line()
    {
        using var folder = new TempDirectory();
        string path = folder.File("timeline.jsonl");
        File.WriteAllLines(path,
        [
            "{\"t\":0,\"phase\":\"note\",\"kind\":\"load\",\"description\":\"load started\"}",
            "{\"t\":-1e18,\"phase\":\"heal\",\"kind\":\"heal\",\"description\":\"every fault healed\"}",
        ]);

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => FaultTimeline.Read(path));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"t\"", e.Message, StringComparison.Ordinal);
    }

    // Before the bound, an ok at 10^18 ms made the sweep from the heal take 4·10^15 steps of 250 ms: the check never
    // returned. Records built in code skip the file's check, so the checker bounds them too.
    [Fact]
    public async Task Recovery_over_a_moment_no_run_can_have_is_a_violation_not_an_endless_sweep()
    {
        Hash256 tx = Hash256.Compute([1]);
        var history = new List<HistoryRecord>();
        for (int i = 0; i < 200; i++)
        {
            Hash256 id = Hash256.Compute(BitConverter.GetBytes(i));
            history.Add(new HistoryRecord(OperationOutcome.Ok, 0, OperationKind.Mint, id, 100 + (i * 100)));
        }

        history.Add(new HistoryRecord(OperationOutcome.Ok, 0, OperationKind.Mint, tx, 1e18));
        FaultEvent[] timeline =
        [
            new(0, FaultEvent.Note, "load", "load started"),
            new(12_000, FaultEvent.Start, "kill", "kill -9 replica 1") { Id = 1 },
            new(15_000, FaultEvent.Heal, "heal", "every fault healed"),
        ];

        CheckReport report = await Task.Run(() => HistoryChecker.Check(history, [], timeline)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains(report.Violations, v => v.StartsWith("recovery cannot be judged", StringComparison.Ordinal));
        Assert.Null(report.Recovery);
    }
}
