using System.CommandLine;
using System.CommandLine.Invocation;
using SmartChain.Cli.Commands;

namespace SmartChain.Cli;

/// <summary>Entry point of the <c>smartchain</c> executable: a thin map from commands onto the libraries.</summary>
internal static class Program
{
    /// <summary>Set to 1 to see the stack trace of an unexpected error (a bug) after its one-line summary.</summary>
    public const string VerboseVariable = "SMARTCHAIN_VERBOSE";

    /// <summary>Exit code of an error the user can fix (bad option, missing file, refused transaction).</summary>
    public const int UsageError = 1;

    /// <summary>Exit code of an unexpected error: a bug, reported in one line.</summary>
    public const int InternalError = 2;

    public static int Main(string[] args)
    {
        // Before anything else runs or is written: `demo` may replace this process with itself without quick JIT.
        QuickJitRestart.IfWanted(args, Console.Error);
        return Run(args, Console.Out, Console.Error);
    }

    /// <summary>Runs the command line with the given output streams (tests run it in-process).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) => Run(CreateRoot(), args, output, error);

    /// <summary>The command tree of <c>smartchain</c>.</summary>
    public static RootCommand CreateRoot() => new(
        "SmartChain: a Byzantine fault-tolerant blockchain (SMaRtChain, DSN 2020) with the SMaRtCoin application.")
    {
        DemoCommand.Create(),
        BenchCommand.Create(),
        KeysCommands.Create(),
        TestnetCommands.Create(),
        NetnsCommands.Create(),
        NodeCommands.Create(),
        CoinCommands.Create(),
        LedgerCommands.Create(),
        ReceiptCommands.Create(),
        NemesisCommands.Create(),
        CheckCommand.Create(),
    };

    /// <summary>
    /// Parses and runs <paramref name="args"/> on <paramref name="root"/>. A bad command line is one line on
    /// <paramref name="error"/> and exit code 1, without the help text (--help shows it); an exception no command
    /// expected is one line and exit code 2, its stack trace only with SMARTCHAIN_VERBOSE=1.
    /// </summary>
    public static int Run(RootCommand root, string[] args, TextWriter output, TextWriter error)
    {
        ParseResult parse = root.Parse(args);
        if (parse.Action is ParseErrorAction && parse.Errors.Count > 0)
        {
            string messages = string.Join("; ", parse.Errors.Select(e => e.Message.ReplaceLineEndings(" ").Replace('\t', ' ').TrimEnd('.')).Distinct());
            error.WriteLine($"error: {messages} (see '{CommandPath(parse.CommandResult)} --help')");
            return UsageError;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,

            // On SIGINT/SIGTERM the command's token is cancelled; System.CommandLine's default then abandons it after
            // 2 s. A replica closing its ledger, or demo stopping its replica processes (15 s each at worst), needs
            // longer; systemd's own stop timeout (90 s) bounds a replica that hangs.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
        };
        try
        {
            return parse.Invoke(configuration);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("interrupted");
            return 130;
        }
        catch (Exception e)
        {
            error.WriteLine($"error: unexpected {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} (a bug: please report it; set {VerboseVariable}=1 to see where it happened)");
            if (Environment.GetEnvironmentVariable(VerboseVariable) == "1")
            {
                error.WriteLine(e.ToString());
            }

            return InternalError;
        }
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult? command)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = command; r is not null; r = r.Parent)
        {
            if (r is System.CommandLine.Parsing.CommandResult c)
            {
                names.Add(c.Command is RootCommand ? "smartchain" : c.Command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
