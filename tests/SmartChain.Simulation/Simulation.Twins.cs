using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Simulation;

/// <summary>
/// Twins: <see cref="SimulationConfig.TwinReplica"/> runs twice, as two correct cores with the same id and keys and
/// states of their own, both connected to everyone. Each copy is honest alone; together they sign conflicting votes,
/// proposals and leader changes under one id, which is what a replica run twice by mistake (or on purpose) does. The
/// second copy is the network endpoint n; what it sends carries the twinned id, and what anyone sends to that id
/// reaches both copies.
/// </summary>
public sealed partial class Simulation
{
    private ReplicaCore? _twin;

    private int TwinEndpoint => _config.Replicas;

    private void CreateTwin()
    {
        int id = _config.TwinReplica;
        if (id >= 0)
        {
            _twin = new ReplicaCore(id, _view, ChainId, _replicaKeys[id], _options, r => r.Verify(ChainId));
        }
    }

    // Everything sent to the twinned id also goes to its second copy.
    private void SendToReplica(int from, int to, byte[] bytes)
    {
        _network.Send(_now, from, to, bytes);
        if (to == _config.TwinReplica && _twin is not null)
        {
            _network.Send(_now, from, TwinEndpoint, bytes);
        }
    }

    private void DeliverToTwin(SimulatedNetwork.Packet packet)
    {
        ReplicaCore twin = _twin!;
        if (packet.From < 0)
        {
            SignedRequest request = SignedRequest.Decode(packet.Bytes);
            if (request.Verify(ChainId))
            {
                twin.Submit(request);
            }
        }
        else if (Decode(packet) is { } message)
        {
            Step(twin, _config.TwinReplica, packet.From, message);
        }

        DrainTwin();
    }

    private void TickTwin()
    {
        if (_twin is not null)
        {
            _twin.Tick();
            DrainTwin();
        }
    }

    private void DrainTwin()
    {
        int id = _config.TwinReplica;
        Ready ready = _twin!.TakeReady(); // nothing persisted: the copy that restarts after a crash-all is the first
        foreach (ConsensusEvent e in ready.Events)
        {
            if (e.IsEvidence && !_config.IsFaulty(e.From))
            {
                Fail($"the twin of replica {id} holds evidence against correct replica {e.From}: {e.Kind}: {e.Detail}");
            }
        }

        foreach (OutboundMessage outbound in ready.Messages)
        {
            byte[] bytes = MessageCodec.Encode(outbound.Message);
            for (int j = 0; j < _replicas.Length; j++)
            {
                if (j != id && (outbound.To is null || outbound.To == j))
                {
                    _network.Send(_now, id, j, bytes);
                }
            }
        }
    }

    // Peer bytes from a faulty sender may not decode: the node rejects them and keeps serving; so does the simulator.
    private ConsensusMessage? Decode(SimulatedNetwork.Packet packet)
    {
        try
        {
            return MessageCodec.Decode(packet.Bytes, _limits);
        }
        catch (EncodingException) when (_config.IsFaulty(packet.From))
        {
            _undecodable++;
            return null;
        }
    }

    // No exception from peer data may escape a core: if one does, the seed fails with it.
    private void Step(ReplicaCore core, int replica, int from, ConsensusMessage message)
    {
        try
        {
            core.Step(from, message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Fail($"replica {replica} threw on {message.GetType().Name} from {from}: {e.GetType().Name}: {e.Message} ({message})");
        }
    }
}
