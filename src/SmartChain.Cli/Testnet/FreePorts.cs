using System.Net;
using System.Net.Sockets;

namespace SmartChain.Cli.Testnet;

/// <summary>Finds consecutive free TCP ports on 127.0.0.1 for a throwaway local network.</summary>
internal static class FreePorts
{
    /// <summary>The first port of <paramref name="count"/> consecutive ports that are all free now.</summary>
    public static int Range(int count)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int start = Random.Shared.Next(20_000, 60_000 - count);
            if (Enumerable.Range(start, count).All(IsFree))
            {
                return start;
            }
        }

        throw new CliException($"found no {count} consecutive free ports on 127.0.0.1 between 20000 and 60000");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
