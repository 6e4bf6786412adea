namespace SmartChain.Cli.Tests;

/// <summary>
/// <c>smartchain check</c> on bad values and damaged files (second reader of issue 14): one line on standard error, exit
/// code 1, no stack trace, and the recovery options are checked before any ledger is read.
/// </summary>
public sealed class CheckCommandBadInputTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("--recovery-bound", "NaN", "--recovery-bound NaN: give seconds, more than 0 and at most 86400")]
    [InlineData("--recovery-bound", "1e300", "--recovery-bound 1E+300: give seconds, more than 0 and at most 86400")]
    [InlineData("--recovery-bound", "-5", "--recovery-bound -5: give seconds, more than 0 and at most 86400")]
    [InlineData("--recovery-fraction", "NaN", "--recovery-fraction NaN: give a share of the baseline, more than 0 and at most 1")]
    [InlineData("--recovery-fraction", "7", "--recovery-fraction 7: give a share of the baseline, more than 0 and at most 1")]
    public void A_recovery_option_no_run_can_use_is_refused_with_one_line(string option, string value, string expected)
    {
        // A real home, so an unchecked option is reached: it used to throw an ArgumentException ("a bug: please report
        // it", exit 2) after every ledger was read, or a fraction above 1 was taken and every run judged slow.
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", _dir.File("t"), "--replicas", "4").ExitCode);
        string history = _dir.File("history.jsonl");
        File.WriteAllText(history, "");

        AssertOneLine(CliRun.InProcess("check", "--history", history, "--ledgers", Path.Combine(_dir.File("t"), "node0"), option, value), expected);
    }

    [Fact]
    public void A_damaged_history_is_refused_with_its_line()
    {
        string history = _dir.File("history.jsonl");
        File.WriteAllText(history, "{\"t\":1,\"type\":\"invoke\",\"process\":0,\"kind\":\"mint\",\"tx\":\"" + new string('a', 64) + "\"}\n{\"t\":1e300,\"type\":\"ok\"");

        AssertOneLine(CliRun.InProcess("check", "--history", history, "--ledgers", _dir.File("home")), "line 2");
    }

    private static void AssertOneLine(CliRun run, string expected)
    {
        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}\nstderr: {run.Error}\nstdout: {run.Output}");
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
