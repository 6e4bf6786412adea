using System.Net;
using System.Net.Sockets;

namespace SmartChain.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1 for tests (linked into every test project that opens sockets).</summary>
public static class TestPorts
{
    /// <summary>
    /// <paramref name="count"/> distinct ports the system reports free right now, none handed out before in this process
    /// (the system may offer a port it just released again, and two replicas of one test network must not share one).
    /// </summary>
    public static int[] Free(int count)
    {
        var ports = new List<int>(count);
        for (int attempt = 0; ports.Count < count && attempt < 100; attempt++)
        {
            var listeners = Enumerable.Range(0, count - ports.Count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
            listeners.ForEach(l => l.Start());
            lock (Issued)
            {
                foreach (int port in listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port))
                {
                    if (Issued.Add(port))
                    {
                        ports.Add(port);
                    }
                }
            }

            listeners.ForEach(l => l.Stop());
        }

        return ports.Count == count ? [.. ports] : throw new InvalidOperationException("no free ports on 127.0.0.1");
    }

    private static readonly HashSet<int> Issued = [];

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports (a testnet's base port). Ranges handed out in this
    /// process never overlap, so tests running side by side cannot race for the same port between check and use.
    /// </summary>
    public static int FreeRange(int count)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int basePort = Random.Shared.Next(20_000, 32_000); // below Linux's ephemeral range, so port-0 binds never land here
            lock (Issued)
            {
                if (Enumerable.Range(basePort, count).Any(Issued.Contains))
                {
                    continue;
                }
            }

            var listeners = new List<TcpListener>();
            try
            {
                for (int p = 0; p < count; p++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, basePort + p);
                    listener.Start();
                    listeners.Add(listener);
                }

                lock (Issued)
                {
                    if (Enumerable.Range(basePort, count).Any(Issued.Contains))
                    {
                        continue;
                    }

                    Issued.UnionWith(Enumerable.Range(basePort, count));
                }

                return basePort;
            }
            catch (SocketException)
            {
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }

        throw new InvalidOperationException("no free range of ports on 127.0.0.1");
    }
}
