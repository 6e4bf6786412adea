using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SmartChain.Cli.Tests;

/// <summary>
/// A testnet folder whose replica and client ports are held by listeners that never accept: a command that connects
/// anywhere leaves a connection waiting in a backlog, so <see cref="Contacted"/> shows it. Shared by the bad-input
/// tests, which must neither contact anything nor create any file.
/// </summary>
public sealed class BadInputNetwork : IDisposable
{
    private readonly TempDirectory dir = new();
    private readonly List<TcpListener> listeners = [];

    public BadInputNetwork()
    {
        Net = dir.Combine("net");
        int basePort = TestPorts.FreeRange(8);
        CliRun init = CliRun.InProcess("testnet", "init", "--dir", Net, "--base-port", basePort.ToString(CultureInfo.InvariantCulture));
        if (init.ExitCode != 0)
        {
            throw new InvalidOperationException(init.Error);
        }

        for (int port = basePort; port < basePort + 8; port++)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listeners.Add(listener);
        }

        PublicKey = CliRun.InProcess("keys", "show", "--key", Wallet).Output.Trim();
    }

    public string Root => dir.Path;

    public string Net { get; }

    public string Genesis => Path.Combine(Net, "genesis.json");

    public string Wallet => Path.Combine(Net, "wallets", "minter0.key");

    public string Home => Path.Combine(Net, "node0");

    public string PublicKey { get; }

    /// <summary>Whether a command connected to one of the network's ports since the last call (the connections are then dropped).</summary>
    public bool Contacted()
    {
        bool any = false;
        foreach (TcpListener listener in listeners)
        {
            while (listener.Pending())
            {
                listener.AcceptSocket().Dispose();
                any = true;
            }
        }

        return any;
    }

    /// <summary>Every file and folder under the test's folder, to show a command created or removed nothing.</summary>
    public IReadOnlyList<string> Tree() =>
        [.. Directory.EnumerateFileSystemEntries(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    /// <summary>Replaces {genesis}, {wallet}, {home}, {net}, {key} and {root} in a command line.</summary>
    public string[] Expand(string[] args) =>
        [.. args.Select(a => a.Replace("{genesis}", Genesis, StringComparison.Ordinal)
            .Replace("{wallet}", Wallet, StringComparison.Ordinal)
            .Replace("{home}", Home, StringComparison.Ordinal)
            .Replace("{net}", Net, StringComparison.Ordinal)
            .Replace("{key}", PublicKey, StringComparison.Ordinal)
            .Replace("{root}", Root, StringComparison.Ordinal))];

    public void Dispose()
    {
        listeners.ForEach(l => l.Stop());
        dir.Dispose();
    }
}
