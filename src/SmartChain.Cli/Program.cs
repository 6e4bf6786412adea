using System.CommandLine;
using SmartChain.Cli.Commands;

namespace SmartChain.Cli;

/// <summary>Entry point of the <c>smartchain</c> executable: a thin map from commands onto the libraries.</summary>
internal static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given output streams (tests run it in-process).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
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
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
