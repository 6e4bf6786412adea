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
            // Above Linux's default ephemeral range (32768–60999), so an outgoing connection of another process cannot take a
            // port between this probe and the replica's bind; and apart from 20000–32000, where test harnesses reserve
            // the ports they hand to testnet init (a port this process probed free is not reserved by them).
            int start = Random.Shared.Next(61_000, 65_500 - count);
            if (Enumerable.Range(start, count).All(IsFree))
            {
                return start;
            }
        }

        throw new CliException($"found no {count} consecutive free ports on 127.0.0.1 between 61000 and 65500");
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
