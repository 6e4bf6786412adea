using System.CommandLine;

namespace SmartChain.Cli.Tests;

/// <summary>Issue 17, item 5: the entry point's last-resort handler, and help on every command.</summary>
public class EntryPointTests
{
    [Fact]
    public void An_exception_no_command_expected_is_one_line_and_exit_code_2_without_a_stack_trace()
    {
        var boom = new Command("boom", "Throws what no command catches.");
        boom.SetAction(new Func<ParseResult, int>(_ => throw new InvalidOperationException("the unexpected\nhappened")));
        var root = new RootCommand("test") { boom };
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = Program.Run(root, ["boom"], output, error);

        Assert.Equal(Program.InternalError, code);
        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: unexpected InvalidOperationException: the unexpected happened (a bug: please report it; set SMARTCHAIN_VERBOSE=1", line, StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void An_async_command_that_throws_is_caught_too()
    {
        var boom = new Command("boom", "Throws after an await.");
        boom.SetAction(async (_, ct) =>
        {
            await Task.Yield();
            throw new FormatException("late");
        });
        using var error = new StringWriter();

        int code = Program.Run(new RootCommand("test") { boom }, ["boom"], TextWriter.Null, error);

        Assert.Equal(Program.InternalError, code);
        Assert.StartsWith("error: unexpected FormatException: late", Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_and_option_explains_itself_in_help()
    {
        var commands = new List<(string[] Path, Command Command)>();
        Collect([], Program.CreateRoot(), commands);
        Assert.True(commands.Count >= 25, $"only {commands.Count} commands found");
        foreach ((string[] path, Command command) in commands)
        {
            string name = path.Length == 0 ? "smartchain" : string.Join(' ', path);
            Assert.False(string.IsNullOrWhiteSpace(command.Description), $"'{name}' has no description");
            foreach (Option option in command.Options)
            {
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"'{name} {option.Name}' has no description");
            }

            foreach (Argument argument in command.Arguments)
            {
                Assert.False(string.IsNullOrWhiteSpace(argument.Description), $"'{name} {argument.Name}' has no description");
            }

            if (command.Hidden)
            {
                continue; // plumbing the tools run themselves (netns switch), not shown in help, so no help of its own
            }

            CliRun run = CliRun.InProcess([.. path, "--help"]);
            Assert.True(run.ExitCode == 0, $"'{name} --help' exited {run.ExitCode}: {run.Error}");
            Assert.True(run.Output.Contains("Usage:", StringComparison.Ordinal), $"'{name} --help' printed no usage: '{run.Output}'");
            Assert.True(run.Output.Contains(command.Description!, StringComparison.Ordinal), $"'{name} --help' does not say what it does");
            Assert.Empty(run.Error);
        }
    }

    private static void Collect(string[] path, Command command, List<(string[], Command)> into)
    {
        into.Add((path, command));
        foreach (Command sub in command.Subcommands)
        {
            Collect([.. path, sub.Name], sub, into);
        }
    }
}
