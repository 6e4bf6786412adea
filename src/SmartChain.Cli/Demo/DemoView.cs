using System.Globalization;
using System.Text.Json;
using SmartChain.Load;
using Spectre.Console;

namespace SmartChain.Cli.Demo;

/// <summary>
/// What the demo shows: a progress line a second, then the table of verified ledgers and a summary line; or, with
/// --json, one JSON object at the end and nothing else on standard output.
/// </summary>
internal sealed class DemoView
{
    private readonly TextWriter _output;
    private readonly bool _json;
    private readonly IAnsiConsole _console;

    public DemoView(TextWriter output, bool json)
    {
        _output = output;
        _json = json;
        _console = ConsoleFor(output);
    }

    /// <summary>Colors on a terminal; plain text, never wrapped, into a file, a pipe or a test's writer.</summary>
    public static IAnsiConsole ConsoleFor(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            console.Profile.Width = 240;
        }

        return console;
    }

    public void Line(string text)
    {
        if (!_json)
        {
            _console.MarkupLine(Markup.Escape(text));
        }
    }

    public void Progress(LoadProgress p, (long Block, int Leader, long View, int Members) replicas)
    {
        if (!_json)
        {
            _console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"  [grey]{p.Elapsed.TotalSeconds,4:0} s[/]  [bold]{p.TxPerSecond,7:#,0} tx/s[/]  p50 {p.P50Ms,6:0.0} ms  p99 {p.P99Ms,6:0.0} ms  " +
                $"block {replicas.Block,6}  view {replicas.View} ({replicas.Members} replicas)  leader {replicas.Leader}  total {p.Transactions:#,0}{(p.Errors > 0 ? $"  [red]errors {p.Errors}[/]" : "")}"));
        }
    }

    public void Result(DemoOutcome outcome)
    {
        LoadResult load = outcome.Load;
        if (_json)
        {
            WriteJson(outcome);
            return;
        }

        var table = new Table().AddColumns("replica", "blocks", "transactions", "head hash", "state hash", "verified");
        foreach (Testnet.ReplicaLedger ledger in outcome.Ledgers)
        {
            var r = ledger.Report;
            table.AddRow(ledger.Replica.ToString(CultureInfo.InvariantCulture), r.Blocks.ToString("#,0", CultureInfo.InvariantCulture),
                r.Transactions.ToString("#,0", CultureInfo.InvariantCulture), Short(r.HeadHash.ToString()), Short(r.StateHash?.ToString() ?? "-"),
                r.Passed ? "[green]yes[/]" : $"[red]no: block {r.FirstBadBlock}: {Markup.Escape(r.Failure ?? "")}[/]");
        }

        _console.Write(table);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{load.Transactions:#,0} SPENDs in {load.Measured.TotalSeconds:0.0} s: {load.TxPerSecond:#,0} tx/s, p50 {load.P50Ms:0.0} ms, p99 {load.P99Ms:0.0} ms; ");
        _console.MarkupLine(outcome.Succeeded
            ? $"[green]OK[/]: {Markup.Escape(summary)}all {outcome.Ledgers.Count} ledgers verified and identical up to block {outcome.Ledgers[0].CommonHeight:#,0}{(outcome.HeightSpread == 0 ? " (all heads equal)" : $" ({outcome.HeightSpread} block(s) more on replicas stopped later)")}"
            : $"[red]FAILED[/]: {Markup.Escape(summary)}the ledgers did not all verify to one common prefix (within {DemoOutcome.MaxHeightSpread} blocks)");
        if (WarmStart.Of(load.Timeline) is { } warm)
        {
            string reached = warm.ReachedAt is { } at
                ? string.Create(CultureInfo.InvariantCulture, $"reached {at.TotalSeconds:0.0} s after the load started")
                : "never reached";
            _console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"warm start: {warm.FirstSecondTxPerSecond:#,0} tx/s in the first second; 80% of the steady {warm.SteadyTxPerSecond:#,0} tx/s (the second half's rate) {reached}")));
        }
    }

    private static string Short(string hash) => hash.Length > 16 ? hash[..16] : hash;

    private void WriteJson(DemoOutcome outcome)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteBoolean("succeeded", outcome.Succeeded);
            w.WriteString("folder", outcome.Folder);
            w.WriteNumber("commonHeight", outcome.Ledgers.Count == 0 ? 0 : outcome.Ledgers[0].CommonHeight);
            w.WriteNumber("heightSpread", outcome.HeightSpread);
            w.WriteNumber("transactions", outcome.Load.Transactions);
            w.WriteNumber("seconds", Math.Round(outcome.Load.Measured.TotalSeconds, 2));
            w.WriteNumber("txPerSecond", Math.Round(outcome.Load.TxPerSecond));
            w.WriteNumber("p50Ms", Math.Round(outcome.Load.P50Ms, 2));
            w.WriteNumber("p99Ms", Math.Round(outcome.Load.P99Ms, 2));
            w.WriteNumber("errors", outcome.Load.Errors);

            // The load generator's JIT setting ("0": optimized from the first call; null: quick JIT), which the warm start depends on.
            w.WriteString("demoProcessQuickJit", Environment.GetEnvironmentVariable(QuickJitRestart.Variable));
            Bench.TimelineJson.Write(w, outcome.Load);
            w.WriteStartArray("replicas");
            foreach (Testnet.ReplicaLedger ledger in outcome.Ledgers)
            {
                w.WriteStartObject();
                w.WriteNumber("replica", ledger.Replica);
                w.WriteBoolean("verified", ledger.Report.Passed);
                w.WriteNumber("blocks", ledger.Report.Blocks);
                w.WriteNumber("transactions", ledger.Report.Transactions);
                w.WriteString("headHash", ledger.Report.HeadHash.ToString());
                w.WriteString("hashAtCommonHeight", ledger.HashAtCommonHeight?.ToString());
                w.WriteString("stateHash", ledger.Report.StateHash?.ToString());
                if (!ledger.Report.Passed)
                {
                    w.WriteString("failure", $"block {ledger.Report.FirstBadBlock}: {ledger.Report.Failure}");
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        _output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
