using System.Net;
using System.Security.Cryptography;
using SmartChain.Core.Views;
using SmartChain.Network;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The simulated network between replicas and clients of one run: every frame a replica or client sends is delivered
/// after a seeded delay in virtual time, or lost, or held back by a partition; links keep their order unless the run
/// reorders. A link knows its peer's id the way an authenticated link does: the network, not the frame, says who sent
/// it. Every delivery goes into the run's trace hash, so two runs of one seed can be compared.
/// </summary>
internal sealed class SimNetwork(SimScheduler scheduler, SimFaults faults)
{
    private readonly Dictionary<int, SimReplicaLinks> _replicas = [];
    private readonly Dictionary<int, SimClientPort> _ports = [];
    private readonly Dictionary<(int From, int To), long> _lastDelivery = [];
    private readonly IncrementalHash _trace = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>Frames delivered and lost so far.</summary>
    public long Delivered { get; private set; }

    public long Lost { get; private set; }

    /// <summary>
    /// Called for every frame between replicas that never reaches the replica it was sent to: lost, cut off by a
    /// partition, or sent to (or arriving at) an incarnation that is down (the run's report checks look at what was lost).
    /// </summary>
    public Action<int, int, FrameType, ReadOnlyMemory<byte>>? OnLost { get; set; }

    /// <summary>Called for every reply frame a replica sends a client (the run checks what it claims).</summary>
    public Action<int, ReadOnlyMemory<byte>>? OnReplySent { get; set; }

    /// <summary>Adds <paramref name="line"/> to the run's trace.</summary>
    public void Trace(string line)
    {
        _trace.AppendData(System.Text.Encoding.UTF8.GetBytes(line));
        _trace.AppendData(BitConverter.GetBytes(scheduler.Time.Now));
    }

    /// <summary>The trace hash so far.</summary>
    public string TraceHash() => Convert.ToHexString(_trace.GetCurrentHash())[..16];

    /// <summary>The transport of replica <paramref name="id"/>'s incarnation running in <paramref name="context"/>.</summary>
    public IReplicaTransport TransportFor(int id, SimContext context) => new Transport(this, id, context);

    /// <summary>Replica <paramref name="id"/> crashed: its links go down, frames to it in flight are lost.</summary>
    public void Down(int id)
    {
        _replicas.Remove(id);
        if (_ports.Remove(id, out SimClientPort? port))
        {
            port.Close();
        }
    }

    /// <summary>The client port of replica <paramref name="id"/>, if it runs.</summary>
    public SimClientPort? PortOf(int id) => _ports.GetValueOrDefault(id);

    /// <summary>
    /// Sends <paramref name="payload"/> from endpoint <paramref name="from"/> to <paramref name="to"/> (replica ids, or
    /// client ids above them); <paramref name="deliver"/> runs at arrival unless the frame is lost (then false).
    /// </summary>
    public bool Send(int from, int to, FrameType type, ReadOnlyMemory<byte> payload, Action<byte[]> deliver)
    {
        if (faults.Blocks(from, to, scheduler))
        {
            Lost++;
            return false;
        }

        byte[] copy = payload.ToArray(); // the sender may reuse its buffer
        long delay = faults.Delay(scheduler);
        long at = scheduler.Time.Now + delay;
        if (!faults.Reorder)
        {
            // A link is a byte stream: later frames never overtake earlier ones.
            at = Math.Max(at, _lastDelivery.GetValueOrDefault((from, to)));
            _lastDelivery[(from, to)] = at;
        }

        ITimer? timer = null;
        timer = scheduler.Time.CreateTimer(_ =>
        {
            timer!.Dispose();
            Delivered++;
            _trace.AppendData(BitConverter.GetBytes(scheduler.Time.Now));
            _trace.AppendData(BitConverter.GetBytes(from));
            _trace.AppendData(BitConverter.GetBytes(to));
            _trace.AppendData([(byte)type]);
            _trace.AppendData(BitConverter.GetBytes(copy.Length));
            deliver(copy);
        }, null, TimeSpan.FromTicks(at - scheduler.Time.Now), Timeout.InfiniteTimeSpan);
        return true;
    }

    /// <summary>A frame between replicas: lost if the receiver restarted meanwhile (its links broke).</summary>
    internal void SendToReplica(int from, int to, FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (!_replicas.TryGetValue(to, out SimReplicaLinks? target))
        {
            Lost++;
            OnLost?.Invoke(from, to, type, payload);
            return;
        }

        bool sent = Send(from, to, type, payload, bytes =>
        {
            if (_replicas.GetValueOrDefault(to) == target)
            {
                target.Receive(from, type, bytes);
            }
            else
            {
                OnLost?.Invoke(from, to, type, bytes);
            }
        });
        if (!sent)
        {
            OnLost?.Invoke(from, to, type, payload);
        }
    }

    private sealed class Transport(SimNetwork network, int id, SimContext context) : IReplicaTransport
    {
        public IReplicaLinks ConnectReplicas(View view, string chainId, LinkCredentials self, IPEndPoint listen, LinkOptions options, Action<string> log,
            IOutboundFrameFilter? outboundFilter)
        {
            var links = new SimReplicaLinks(network, id, view.Members);
            network._replicas[id] = links;
            return links;
        }

        public IClientPort ListenForClients(IPEndPoint endpoint, string chainId, LinkCredentials self, LinkOptions options, Action<EndPoint?, string> onRejected)
        {
            var port = new SimClientPort(network, id, endpoint, context);
            network._ports[id] = port;
            return port;
        }
    }
}
