using SmartChain.Core;

namespace SmartChain.Simulation;

/// <summary>
/// Delivers byte messages between endpoints after a random delay, and during the bad period also drops,
/// duplicates and partitions. Random delays reorder messages. All randomness comes from the run's seed.
/// </summary>
public sealed class SimulatedNetwork(SimulationConfig config, ulong seed)
{
    private readonly PriorityQueue<Packet, (long Time, long Order)> _queue = new();
    private readonly Dictionary<(int From, int To), long> _lastDelivery = [];
    private SplitMix64 _random = new(seed);
    private long _order;

    /// <summary>A message in flight. Client endpoints have negative ids.</summary>
    public sealed record Packet(int From, int To, byte[] Bytes, long DeliverAt)
    {
        /// <summary>When it was sent: a replica that restarted after that never gets it (the connection broke).</summary>
        public long SentAt { get; init; }
    }

    public long Sent { get; private set; }

    public long Dropped { get; private set; }

    public long Duplicated { get; private set; }

    public int InFlight => _queue.Count;

    public void Send(long now, int from, int to, byte[] bytes)
    {
        Sent++;
        if (Crashed(now, from) || Crashed(now, to))
        {
            Dropped++;
            return;
        }

        bool bad = now < config.BadPeriodMs;
        if (bad && (Partitioned(now, from, to) || _random.Chance(config.DropProbability)))
        {
            Dropped++;
            return;
        }

        Enqueue(now, from, to, bytes);
        if (bad && _random.Chance(config.DuplicateProbability))
        {
            Duplicated++;
            Enqueue(now, from, to, bytes);
        }
    }

    public bool TryPeekTime(out long time)
    {
        bool any = _queue.TryPeek(out _, out (long Time, long Order) key);
        time = key.Time;
        return any;
    }

    public Packet Receive() => _queue.Dequeue();

    /// <summary>True once <paramref name="replica"/> has crashed.</summary>
    public bool Crashed(long now, int replica) => replica >= 0 && replica == config.CrashedReplica && now >= config.CrashAtMs;

    private bool Partitioned(long now, int from, int to) =>
        config.PartitionedReplica >= 0 && now >= config.PartitionStartMs && now < config.PartitionEndMs &&
        (from == config.PartitionedReplica || to == config.PartitionedReplica);

    private void Enqueue(long now, int from, int to, byte[] bytes)
    {
        long at = now + _random.NextInt(config.MinDelayMs, config.MaxDelayMs);
        if (config.FifoLinks)
        {
            // Never before the link's previous message; the order counter breaks ties in send order.
            at = Math.Max(at, _lastDelivery.GetValueOrDefault((from, to)));
            _lastDelivery[(from, to)] = at;
        }

        _queue.Enqueue(new Packet(from, to, bytes, at) { SentAt = now }, (at, _order++));
    }
}
