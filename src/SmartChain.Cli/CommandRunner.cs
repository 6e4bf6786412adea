using System.CommandLine;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;

namespace SmartChain.Cli;

/// <summary>
/// Runs a command's body and turns the errors a user can cause (bad paths, bad files, refused keys) into one line
/// on standard error and exit code 1. Anything else is a bug and keeps its stack trace.
/// </summary>
internal static class CommandRunner
{
    public const int Success = 0;
    public const int Failure = 1;

    public static void SetAction(Command command, Func<ParseResult, TextWriter, int> body)
    {
        command.SetAction(parseResult =>
        {
            TextWriter output = parseResult.InvocationConfiguration.Output;
            TextWriter error = parseResult.InvocationConfiguration.Error;
            try
            {
                return body(parseResult, output);
            }
            catch (Exception e) when (e is CliException or KeyFileException or GenesisException or InvalidDataException
                                          or IOException or UnauthorizedAccessException or Client.ChainClientException
                                          or Coin.Wallet.InsufficientFundsException or Ledger.Store.LedgerCorruptException)
            {
                error.WriteLine($"error: {e.Message}");
                return Failure;
            }
        });
    }
}
