using System.Diagnostics;
using System.Reflection;
using SmartChain.Cli.Testnet;
using SmartChain.Core.Genesis;
using SmartChain.Testbed;

namespace SmartChain.Cli.Netns;

/// <summary>
/// A SmartChain testnet on the namespace testbed: each replica runs in its own namespace with its own address (the
/// genesis lists those addresses), clients run in the client namespace. The testnet folder holds both the testbed's
/// state (netns.json) and the testnet (genesis.json, node*/, wallets/).
/// </summary>
internal static class NetnsTestnet
{
    /// <summary>The port every replica listens on for replicas (the next one for clients): each replica has an address of its own.</summary>
    public const int ReplicaPort = 27000;

    /// <summary>How to run this very executable (dotnet plus the dll when run through dotnet).</summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        string self = Environment.ProcessPath ?? throw new CliException("cannot tell which executable to start");
        return Path.GetFileNameWithoutExtension(self) == "dotnet" ? [self, Assembly.GetEntryAssembly()!.Location] : [self];
    }

    /// <summary>Creates the testbed, a testnet whose genesis lists the replicas' addresses, starts the replicas and waits until they are connected.</summary>
    public static async Task<NamespaceTestbed> UpAsync(TestbedOptions testbedOptions, PersistenceMode persistence, int minters, IReadOnlyList<string> nodeArgs,
        TextWriter log, CancellationToken cancellationToken)
    {
        NamespaceTestbed testbed = NamespaceTestbed.Up(testbedOptions, log);
        try
        {
            TestnetResult created = TestnetInitializer.Initialize(new TestnetOptions
            {
                Directory = testbed.Folder,
                Replicas = testbed.Replicas.Count,
                Hosts = [.. testbed.Replicas.Select(h => h.Address)],
                BasePort = ReplicaPort,
                Persistence = persistence,
                Minters = minters,
                ChainId = $"smartchain-netns-{testbed.Prefix}",
                Force = true, // the folder holds the testbed's own files already; init replaces only testnet files
            });
            foreach (TestbedHost host in testbed.Replicas)
            {
                string home = Path.Combine(testbed.Folder, TestnetInitializer.NodeFolder(host.ReplicaId!.Value));
                testbed.StartReplica(host.ReplicaId.Value, [.. testbed.SmartChainCommand, "node", "run", "--home", home, .. nodeArgs],
                    Path.Combine(home, TestnetProcesses.LogFileName));
            }

            log.WriteLine($"started {testbed.Replicas.Count} replicas at {string.Join(", ", testbed.Replicas.Select(h => h.Address))}");
            (int code, string output, string error) = await RunInAsync(testbed.Clients,
                [.. testbed.SmartChainCommand, "netns", "wait", "--network", created.GenesisPath, "--timeout", "60"], TimeSpan.FromSeconds(90), cancellationToken);
            if (code != 0)
            {
                throw new CliException($"the replicas did not connect: {output.Trim()} {error.Trim()}");
            }

            log.WriteLine(output.Trim());
            return testbed;
        }
        catch
        {
            testbed.Down(log);
            throw;
        }
    }

    /// <summary>Runs <paramref name="command"/> inside <paramref name="host"/>'s namespace and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output, string Error)> RunInAsync(TestbedHost host, IReadOnlyList<string> command, TimeSpan limit,
        CancellationToken cancellationToken)
    {
        ProcessStartInfo start = NamespaceTestbed.ExecInfo(host, command);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using Process process = Process.Start(start) ?? throw new CliException($"could not run {command[0]} in {host.Namespace}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw cancellationToken.IsCancellationRequested
                ? new OperationCanceledException(cancellationToken)
                : new CliException($"'{string.Join(' ', command)}' in {host.Namespace} did not finish within {limit.TotalSeconds:0} s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The genesis of the testnet in <paramref name="folder"/>.</summary>
    public static string GenesisPath(string folder) => Path.Combine(folder, TestnetInitializer.GenesisFileName);
}
