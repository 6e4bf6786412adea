using System.Net;
using System.Net.Sockets;

namespace SmartChain.IntegrationTests;

/// <summary>Finds consecutive free ports on 127.0.0.1 for a testnet's replicas.</summary>
internal static class PortRange
{
    public static int FindFree(int count)
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int basePort = Random.Shared.Next(20_000, 60_000);
            var listeners = new List<TcpListener>();
            try
            {
                for (int p = 0; p < count; p++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, basePort + p);
                    listener.Start();
                    listeners.Add(listener);
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
