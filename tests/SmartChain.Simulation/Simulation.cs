using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Simulation;

/// <summary>
/// Runs n replicas of the real consensus core in one thread over <see cref="SimulatedNetwork"/> and a virtual clock,
/// with clients that sign real requests. Every message goes through the real codec. Checked at every decision:
/// agreement (one batch per instance across replicas), in-order delivery, valid proofs, validity (only requests
/// clients signed are decided, each fresh at most once per replica). Checked at the end: every request was decided
/// by every replica once the network behaves.
/// </summary>
public sealed partial class Simulation : IDisposable
{
    private const string ChainId = "sim";
    private readonly SimulationConfig _config;
    private readonly SimulatedNetwork _network;
    private readonly Ed25519KeyPair[] _replicaKeys;
    private readonly View _view;
    private readonly ReplicaCore[] _replicas;
    private readonly HashSet<Hash256>[] _verified;
    private readonly long[] _delivered;
    private readonly HashSet<(Ed25519PublicKey, ulong)>[] _freshSeen;
    private readonly Dictionary<long, Hash256> _decidedHash = [];
    private readonly Dictionary<Hash256, SignedRequest> _submitted = [];
    private readonly Dictionary<Hash256, int> _decidedBy = [];
    private readonly Dictionary<Hash256, int> _staleBy = [];
    private readonly HashSet<Hash256> _freshEver = [];
    private readonly Dictionary<Hash256, HashSet<int>> _staleReplies = [];
    private readonly SimClient[] _clients;
    private readonly MessageLimits _limits;
    private readonly ConsensusOptions _options;
    private long _now;
    private string? _failure;

    public Simulation(SimulationConfig config)
    {
        _config = config;
        _network = new SimulatedNetwork(config, config.Seed);
        _replicaKeys = [.. Enumerable.Range(0, config.Replicas).Select(i => KeyFor(config.Seed, 1000 + i))];
        _view = new View(0, Enumerable.Range(0, config.Replicas)
            .Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 20000 + (2 * i), 20001 + (2 * i), _replicaKeys[i].PublicKey)));
        var options = _options = new ConsensusOptions { MaxBatch = config.MaxBatch, MaxBatchBytes = 1 << 20, RetransmitTicks = 10, RequestTimeoutTicks = config.RequestTimeoutTicks };
        _limits = new MessageLimits(config.MaxBatch, 4096);
        _replicas = [.. Enumerable.Range(0, config.Replicas).Select(i =>
            new ReplicaCore(i, _view, ChainId, _replicaKeys[i], options, r => r.Verify(ChainId)))];
        _verified = [.. Enumerable.Range(0, config.Replicas).Select(_ => new HashSet<Hash256>())];
        _delivered = new long[config.Replicas];
        _freshSeen = [.. Enumerable.Range(0, config.Replicas).Select(_ => new HashSet<(Ed25519PublicKey, ulong)>())];
        _clients = [.. Enumerable.Range(0, config.Clients).Select(c => new SimClient(-1 - c, KeyFor(config.Seed, c)))];
        _evil = new SplitMix64(config.Seed ^ 0xBADC0FFEE0DDF00DUL);
        _voteLogs = [.. Enumerable.Range(0, config.Replicas).Select(_ => new List<byte[]>())];
        _ledgers = [.. Enumerable.Range(0, config.Replicas).Select(_ => new List<(long, Decision)>())];
        _down = new bool[config.Replicas];
        _restartAt = new long[config.Replicas];
        _restartRandom = new SplitMix64(config.Seed ^ 0x7E57A27C0FFEEUL);
        CreateTwin();
    }

    public static SimulationResult Run(ulong seed) => Run(SimulationConfig.FromSeed(seed));

    public static SimulationResult Run(SimulationConfig config)
    {
        using var simulation = new Simulation(config);
        return simulation.Execute();
    }

    public SimulationResult Execute()
    {
        foreach (SimClient client in _clients)
        {
            FillWindow(client);
        }

        long nextTick = _config.TickMs;
        while (_failure is null)
        {
            if (AllDecidedEverywhere())
            {
                break;
            }

            if (_now > _config.DeadlineMs)
            {
                Fail($"not every request was decided by {_config.DeadlineMs} ms; " + string.Join(" | ", _replicas.Select(r => r.Status)));
                break;
            }

            if (_network.TryPeekTime(out long packetAt) && packetAt <= nextTick)
            {
                _now = packetAt;
                Deliver(_network.Receive());
            }
            else
            {
                _now = nextTick;
                nextTick += _config.TickMs;
                CrashAndRestart();
                for (int i = 0; i < _replicas.Length && _failure is null; i++)
                {
                    if (_network.Crashed(_now, i) || _down[i])
                    {
                        continue;
                    }

                    _replicas[i].Tick();
                    Drain(i);
                }

                TickTwin();
                CheckLiveness();

                RetryClients();
            }
        }

        return new SimulationResult(_config, _failure, _decidedHash.Count, _now, _network.Sent, _network.Dropped, _network.Duplicated)
        {
            Regency = _replicas.Where((_, i) => !_config.IsFaulty(i)).Max(r => r.Regency),
            WaitTicks = Liveness.WaitTicks,
            BoundTicks = Liveness.BoundTicks,
            MaxK = Liveness.MaxK,
            Lies = _lies,
            Undecodable = _undecodable,
        };
    }

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in _replicaKeys)
        {
            key.Dispose();
        }

        foreach (SimClient client in _clients)
        {
            client.Key.Dispose();
        }
    }

    private static Ed25519KeyPair KeyFor(ulong seed, int index)
    {
        byte[] bytes = new byte[32];
        BitConverter.TryWriteBytes(bytes, seed);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), index);
        return Ed25519KeyPair.FromSeed(Hash256.Compute(bytes).ToArray());
    }

    private void Deliver(SimulatedNetwork.Packet packet)
    {
        int to = packet.To;
        if (to == TwinEndpoint && _twin is not null)
        {
            DeliverToTwin(packet);
            return;
        }

        if (_network.Crashed(_now, to) || _down[to] || packet.SentAt < _restartAt[to])
        {
            return; // in flight when it crashed, or sent on a connection its restart broke
        }

        if (packet.From < 0)
        {
            SignedRequest request = SignedRequest.Decode(packet.Bytes);
            Held(to, request);
            if ((_verified[to].Contains(request.Digest) || (request.Verify(ChainId) && _verified[to].Add(request.Digest))) &&
                _replicas[to].Submit(request) == PoolAddResult.AlreadyDecided &&
                !_freshSeen[to].Contains((request.Client, request.Sequence)))
            {
                StaleReply(to, request);
            }
        }
        else
        {
            if (to == _config.ByzantineReplica && Mutating)
            {
                Saw(packet.Bytes); // the mutating replica may replay anything it has seen, from anyone
            }

            if (Decode(packet) is { } message)
            {
                Step(_replicas[to], to, packet.From, message);
            }
            else
            {
                // As the node does: bytes a faulty peer sealed that do not decode are evidence against it.
                _replicas[to].Malformed(packet.From, "a consensus message that does not decode");
            }
        }

        Drain(to);
    }

    private void Drain(int replica)
    {
        Ready ready = _replicas[replica].TakeReady();
        Persist(replica, ready); // persist, then send, as the node does
        foreach (ConsensusEvent e in ready.Events)
        {
            if (e.IsEvidence && !_config.IsFaulty(e.From))
            {
                Fail($"replica {replica} holds evidence against correct replica {e.From}: {e.Kind}: {e.Detail}");
            }
        }

        foreach (OutboundMessage outbound in ready.Messages)
        {
            foreach ((int to, byte[] bytes) in Outgoing(replica, outbound))
            {
                SendToReplica(replica, to, bytes);
            }
        }

        foreach (Decision decision in ready.Decisions)
        {
            OnDecision(replica, decision);
        }

        if (ready.Decisions.Count > 0)
        {
            OnProgress(replica, ready.Decisions);
        }
    }

    private void Fail(string reason) => _failure ??= $"at {_now} ms: {reason}";
}
