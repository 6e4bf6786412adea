using SmartChain.Cli.Testnet;
using SmartChain.Core.Configuration;
using SmartChain.Core.Genesis;
using SmartChain.Nemesis.Checking;

namespace SmartChain.Cli.Nemesis;

/// <summary>Reads the ledgers the checker judges: every replica home of a testnet folder, or the homes named one by one.</summary>
internal static class RunLedgers
{
    /// <summary>Scans the ledger of each replica home (a folder with node.json) in <paramref name="homes"/>.</summary>
    public static IReadOnlyList<LedgerFacts> Scan(IReadOnlyList<string> homes, TextWriter log)
    {
        var facts = new List<LedgerFacts>();
        foreach (string home in homes)
        {
            string configFile = Path.Combine(home, NodeConfig.FileName);
            if (!File.Exists(configFile))
            {
                throw new CliException($"{home} is not a replica home: no {NodeConfig.FileName}");
            }

            NodeConfig config = NodeConfig.Load(configFile);
            GenesisDocument genesis = GenesisJson.Load(config.Genesis);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            LedgerFacts ledger = LedgerScanner.Scan(Path.GetFileName(Path.TrimEndingDirectorySeparator(home)), config.DataDir, genesis, config.ReplicaId);
            log.WriteLine($"read {ledger.Name}: {ledger.Blocks} blocks in {clock.Elapsed.TotalSeconds:0.0} s{(ledger.Failure is null ? "" : $" (fails: {ledger.Failure})")}");
            facts.Add(ledger);
        }

        return facts;
    }

    /// <summary>The replica homes of the testnet in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> HomesOf(string folder) => TestnetProcesses.Homes(folder);
}
