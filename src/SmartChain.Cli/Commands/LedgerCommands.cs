using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using SmartChain.Coin;
using SmartChain.Core.Configuration;
using SmartChain.Core.Genesis;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;

namespace SmartChain.Cli.Commands;

/// <summary><c>smartchain ledger</c>: verify and read one replica's ledger, alone, without the network.</summary>
internal static class LedgerCommands
{
    private static readonly Option<DirectoryInfo> Home = new("--home")
    {
        Description = "The replica's home folder (with node.json), e.g. DIR/node0.",
        Required = true,
        CustomParser = CliParsers.ReplicaHome,
    };

    public static Command Create()
    {
        var ledger = new Command("ledger", "Verify or read a replica's ledger from its files (read-only: safe on a running replica).");
        ledger.Add(CreateVerify());
        ledger.Add(LedgerShow.Create(Home));
        return ledger;
    }

    /// <summary>The genesis and the opened (read-only) store of a replica home.</summary>
    internal static (GenesisDocument Genesis, BlockStore Store, string DataDir) Open(DirectoryInfo home, TextWriter log)
    {
        string configFile = Path.Combine(home.FullName, NodeConfig.FileName);
        if (!File.Exists(configFile))
        {
            throw new CliException($"{home.FullName} is not a replica home: no {NodeConfig.FileName}");
        }

        NodeConfig config = NodeConfig.Load(configFile);
        GenesisDocument genesis = GenesisJson.Load(config.Genesis);
        BlockStore store = BlockStore.OpenReadOnly(config.DataDir, line => log.WriteLine($"note: {line}"));
        return (genesis, store, config.DataDir);
    }

    private static Command CreateVerify()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object instead of text." };
        var fromCheckpoint = new Option<bool>("--from-checkpoint")
        {
            Description = "Fast audit: start from the newest snapshot that matches a certified checkpoint block (hash, size, " +
                "certificate), link-check the blocks before it, and verify only the blocks after it in full.",
        };
        var command = new Command("verify",
            "Check a replica's ledger on its own: links, Merkle roots, certificates against the view, client signatures, and " +
            "re-execution of SMaRtCoin from genesis reproducing every result, including each checkpoint's snapshot hash. " +
            "Exit code 1 and the first bad block on failure.")
        { Home, json, fromCheckpoint };
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output;
            TextWriter error = parse.InvocationConfiguration.Error;
            bool asJson = parse.GetValue(json);
            DirectoryInfo home = parse.GetRequiredValue(Home);
            VerifyReport report;
            try
            {
                (GenesisDocument genesis, BlockStore store, string dataDir) = Open(home, error);
                using (store)
                {
                    long total = store.Height + 1;
                    long step = Math.Max(1, total / 10);
                    Action<long> progress = n =>
                    {
                        if (!asJson && n > 0 && n % step == 0)
                        {
                            error.WriteLine($"verified {n + 1} of {total} blocks");
                        }
                    };
                    var app = CoinApplication.ForGenesis(genesis);
                    report = parse.GetValue(fromCheckpoint)
                        ? LedgerVerifier.VerifyFromCheckpoint(store, genesis, app, new SnapshotStore(dataDir, readOnly: true), progress: progress)
                        : LedgerVerifier.Verify(store, genesis, app, progress: progress);
                }
            }
            catch (LedgerCorruptException e)
            {
                report = new VerifyReport(e.BlockNumber, 0, default, e.BlockNumber, $"{e.Reason} ({e.File})", TimeSpan.Zero);
            }
            catch (Exception e) when (e is CliException or GenesisException or InvalidDataException or IOException)
            {
                error.WriteLine($"error: {e.Message}");
                return CommandRunner.Failure;
            }

            if (asJson)
            {
                WriteJson(output, report);
            }
            else if (report.Passed)
            {
                output.WriteLine($"blocks        {report.Blocks}");
                if (report.FromCheckpoint is { } checkpoint)
                {
                    output.WriteLine($"from          checkpoint block {checkpoint} (snapshot matched its certified record; blocks before it link-checked)");
                }

                output.WriteLine($"transactions  {report.Transactions}");
                output.WriteLine($"head          {report.HeadHash}");
                output.WriteLine($"state         {report.StateHash}");
                output.WriteLine($"view          {report.View} (members {report.View?.MemberList}), followed from genesis through every reconfiguration block");
                output.WriteLine($"uncertified   {report.Uncertified}");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"time          {report.Elapsed.TotalSeconds:0.00} s ({report.TransactionsPerSecond:0} tx/s verified)"));
                output.WriteLine("ledger verified");
            }
            else
            {
                error.WriteLine($"ledger verification failed at block {report.FirstBadBlock}: {report.Failure}");
            }

            return report.Passed ? CommandRunner.Success : CommandRunner.Failure;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, VerifyReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("passed", report.Passed);
            json.WriteNumber("blocks", report.Blocks);
            json.WriteNumber("transactions", report.Transactions);
            json.WriteString("headHash", report.HeadHash.ToString());
            if (report.View is { } view)
            {
                json.WriteNumber("view", view.Id);
                json.WriteString("members", view.MemberList);
            }

            if (report.StateHash is { } state)
            {
                json.WriteString("stateHash", state.ToString());
            }

            json.WriteNumber("uncertified", report.Uncertified);
            if (report.FromCheckpoint is { } checkpoint)
            {
                json.WriteNumber("fromCheckpoint", checkpoint);
            }

            json.WriteNumber("seconds", Math.Round(report.Elapsed.TotalSeconds, 3));
            json.WriteNumber("transactionsPerSecond", Math.Round(report.TransactionsPerSecond));
            if (!report.Passed)
            {
                json.WriteNumber("firstBadBlock", report.FirstBadBlock!.Value);
                json.WriteString("failure", report.Failure);
            }

            json.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
