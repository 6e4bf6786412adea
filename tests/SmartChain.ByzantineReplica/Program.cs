using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SmartChain.ByzantineReplica;
using SmartChain.Coin;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Node;

// usage: SmartChain.ByzantineReplica --home DIR --seed N [--rate PERCENT]
// Runs the replica of DIR exactly as `smartchain node run` does, except that every frame it sends to a peer passes
// through a MutatingFilter (seeded): a signed, authenticated peer that lies in every field it can.
string? home = null;
int seed = 1;
int rate = 30;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--home":
            home = args[i + 1];
            break;
        case "--seed":
            seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--rate":
            rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
    }
}

if (home is null)
{
    await Console.Error.WriteLineAsync("usage: SmartChain.ByzantineReplica --home DIR --seed N [--rate PERCENT]");
    return 2;
}

NodeConfig config = NodeConfig.Load(Path.Combine(home, NodeConfig.FileName));
GenesisDocument genesis = GenesisJson.Load(config.Genesis);
using Ed25519KeyPair key = KeyFile.Load(config.KeyFile);
using ILoggerFactory loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "HH:mm:ss.fff ";
}));
var filter = new MutatingFilter(key, genesis.ChainId, MessageLimits.From(genesis.Consensus), seed, rate);
var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
if (ParentWatch.FromEnvironment() is int owner)
{
    // Started by a test run: it stops when the test host is gone (a timed-out or killed run leaves no replica behind).
    _ = ParentWatch.ExitOfAsync(owner).ContinueWith(_ => stopped.TrySetResult(), TaskScheduler.Default);
}

await using (ReplicaHost host = ReplicaHost.Start(config, genesis, key, g => CoinApplication.ForGenesis(g), loggers, new ReplicaOptions { OutboundFilter = filter }))
{
    Console.WriteLine($"byzantine replica {config.ReplicaId} started (seed {seed}, {rate}% of frames changed)");
    await Task.WhenAny(stopped.Task, host.Completion);
}

Console.WriteLine($"byzantine replica {config.ReplicaId} stopped: {filter.Summary}");
return 0;
