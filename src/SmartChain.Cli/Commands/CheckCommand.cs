using System.CommandLine;
using System.Globalization;
using SmartChain.Cli.Nemesis;
using SmartChain.Nemesis.Checking;
using SmartChain.Nemesis.Faults;
using SmartChain.Nemesis.History;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain check</c>: judge a run's client history against every replica's ledger.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var history = new Option<FileInfo>("--history") { Description = "The JSON-lines client history (history.jsonl of a nemesis run).", Required = true };
        var timeline = new Option<FileInfo?>("--timeline") { Description = "The fault timeline (timeline.jsonl): also judge the recovery after the heal." };
        var net = new Option<DirectoryInfo?>("--net") { Description = "A testnet folder: check the ledger of every replica home in it (node*/)." };
        var ledgers = new Option<DirectoryInfo[]>("--ledgers")
        {
            Description = "Replica homes (folders with node.json) whose ledgers to check, instead of --net.",
            AllowMultipleArgumentsPerToken = true,
        };
        var bound = new Option<double>("--recovery-bound") { Description = "Seconds after the heal within which the ok rate must be back to speed.", DefaultValueFactory = _ => 60 };
        var fraction = new Option<double>("--recovery-fraction") { Description = "Share of the pre-fault ok rate that counts as back to speed.", DefaultValueFactory = _ => 0.8 };
        var command = new Command("check",
            "Check a run: every ok transaction executed exactly once in every ledger that reaches its block, no failed one executed, no coin spent " +
            "twice, the coins recomputed from each ledger matching its state hashes, the ledgers identical at every common height, and (with " +
            "--timeline) the speed back within a bound of the heal. Exit code 1 and each violation on a failure.")
        {
            history, timeline, net, ledgers, bound, fraction,
        };
        CommandRunner.SetAction(command, (parse, output) =>
        {
            // Checked before any file is read: TimeSpan refuses NaN and overflows (an unexpected exception, after every
            // ledger was read), and a share above 1 would judge every run slow.
            double seconds = parse.GetValue(bound);
            if (!(seconds is > 0 and <= 86_400))
            {
                throw new CliException($"--recovery-bound {seconds.ToString(CultureInfo.InvariantCulture)}: give seconds, more than 0 and at most 86400");
            }

            double share = parse.GetValue(fraction);
            if (!(share is > 0 and <= 1))
            {
                throw new CliException($"--recovery-fraction {share.ToString(CultureInfo.InvariantCulture)}: give a share of the baseline, more than 0 and at most 1");
            }

            DirectoryInfo? folder = parse.GetValue(net);
            DirectoryInfo[] homes = parse.GetValue(ledgers) ?? [];
            if ((folder is null) == (homes.Length == 0))
            {
                throw new CliException("name the ledgers with either --net DIR or --ledgers HOME...");
            }

            IReadOnlyList<HistoryRecord> records = HistoryJson.Read(parse.GetRequiredValue(history).FullName);
            IReadOnlyList<FaultEvent>? events = parse.GetValue(timeline) is { } t ? FaultTimeline.Read(t.FullName) : null;
            IReadOnlyList<string> paths = folder is not null ? RunLedgers.HomesOf(folder.FullName) : [.. homes.Select(h => h.FullName)];
            IReadOnlyList<LedgerFacts> facts = RunLedgers.Scan(paths, parse.InvocationConfiguration.Error);
            CheckReport report = HistoryChecker.Check(records, facts, events, new RecoveryOptions
            {
                Bound = TimeSpan.FromSeconds(seconds),
                Fraction = share,
            });
            report.WriteTo(output);
            return report.Clean ? CommandRunner.Success : CommandRunner.Failure;
        });
        return command;
    }

    /// <summary>Parses a duration such as 90s, 10m or 1h (a bare number is seconds).</summary>
    public static TimeSpan ParseDuration(string text)
    {
        string t = text.Trim();
        double unit = t.EndsWith('h') ? 3600 : t.EndsWith('m') ? 60 : 1;
        string number = char.IsAsciiLetter(t[^1]) ? t[..^1] : t;
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0
            ? TimeSpan.FromSeconds(value * unit)
            : throw new CliException($"'{text}' is not a duration (e.g. 90s, 10m, 1h)");
    }
}
