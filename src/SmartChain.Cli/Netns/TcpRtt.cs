using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SmartChain.Cli.Netns;

/// <summary>
/// Measures round-trip time to an address without anything listening there: a TCP connect to a closed port is
/// answered by a reset, one round trip after the SYN left. A cut link answers nothing, so the attempt times out.
/// </summary>
internal static class TcpRtt
{
    public const int ClosedPort = 9;

    /// <summary>Round trips in milliseconds (null where the attempt timed out).</summary>
    public static async Task<List<double?>> MeasureAsync(IPAddress address, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var samples = new List<double?>();
        for (int i = 0; i < count; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            long start = Stopwatch.GetTimestamp();
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, ClosedPort), limit.Token);
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds); // something listens: still one round trip
            }
            catch (SocketException)
            {
                samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                samples.Add(null);
            }
        }

        return samples;
    }
}
