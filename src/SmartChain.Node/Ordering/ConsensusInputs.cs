using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SmartChain.Consensus;
using SmartChain.Network;

namespace SmartChain.Node.Ordering;

/// <summary>
/// The order in which the consensus loop takes its inputs: ticks and state transfer first, then peers' messages
/// round-robin per peer (<see cref="PeerInputQueues"/>; up to <see cref="ReplicaTurn"/> replica inputs in all), then up
/// to <see cref="ClientBudget.RequestsPerTurn"/> client requests, and again; <see cref="NodeInput.Drained"/> when all are empty. A flood of client requests therefore waits
/// in its own bounded queue and never delays a vote or a timeout by more than one client turn (64 pool insertions,
/// microseconds each), and a peer's flood never delays another peer's vote by more than one message per peer.
/// Producers (the peer pump, client sessions) call it from any thread; only the consensus loop reads it.
/// </summary>
internal sealed class ConsensusInputs(ChannelReader<NodeInput> main, ChannelWriter<NodeInput> wake, ClientInputQueue clients, int requestsPerTurn,
    IReplicaLinks network, Action<string> dropped)
{
    /// <summary>Replica inputs taken before client requests get a turn, so replica traffic cannot starve clients either.</summary>
    internal const int ReplicaTurn = 1024;

    // Messages of one peer waiting for the consensus loop. Bytes are bounded by the peer's inbound budget (96 MiB); this
    // bounds the count, which small frames would otherwise make millions. A correct peer's backlog stays far below it
    // unless the loop stalls, and a message dropped here is retransmitted like one lost on a link.
    private const int PeerInputsPerPeer = 16_384;
    private readonly PeerInputQueues _peers = new(PeerInputsPerPeer);

    // Peers that sent consensus frames that do not decode since the last tick, and how many. The link authenticated
    // them and kept them intact, so each is evidence against its sender (leader suspicion); the core hears of it once
    // per peer and tick, however many such frames a peer sends.
    private readonly ConcurrentDictionary<int, int> _malformedFrames = new();
    private int _doorbell;

    /// <summary>
    /// Called after a request or a peer message was queued: wakes the loop if it may be waiting on the main channel
    /// only. The flag keeps the main channel from filling with wake-ups (one is outstanding at most).
    /// </summary>
    public void RingDoorbell()
    {
        if (Interlocked.Exchange(ref _doorbell, 1) == 0)
        {
            wake.TryWrite(NodeInput.InputsWaiting.Instance);
        }
    }

    /// <summary>A tick of the consensus clock, queued like the timer's were (dropped if the main channel is full).</summary>
    public void Tick() => wake.TryWrite(new NodeInput.Tick());

    /// <summary>A held proposal's wait is over (<see cref="ProposalPatience"/>'s timer, any thread).</summary>
    public void ProposalDue() => wake.TryWrite(NodeInput.ProposalDue.Instance);

    /// <summary>
    /// The peer pump's side: queued behind the sender's own messages, or dropped (and its budget given back) if the
    /// sender already has its share waiting; the pump itself never waits here, so one peer cannot hold up the others.
    /// </summary>
    public void OfferPeerMessage(NodeInput.PeerMessage message)
    {
        if (!_peers.TryEnqueue(message))
        {
            network.Release(message.From, message.Bytes);
            dropped($"replica {message.From} has {PeerInputsPerPeer} messages waiting for the consensus loop; its {message.Message.Type} was dropped");
            return;
        }

        RingDoorbell();
    }

    /// <summary>A consensus frame from <paramref name="from"/> that does not decode (peer pump).</summary>
    public void NoteMalformed(int from) => _malformedFrames.AddOrUpdate(from, 1, static (_, count) => count + 1);

    /// <summary>On the consensus thread, at each tick: tells the core who sent frames that do not decode.</summary>
    public void ReportMalformed(ReplicaCore core)
    {
        if (_malformedFrames.IsEmpty)
        {
            return;
        }

        foreach (int peer in _malformedFrames.Keys)
        {
            if (_malformedFrames.TryRemove(peer, out int count))
            {
                core.Malformed(peer, $"{count} consensus frame(s) that do not decode since the last tick");
            }
        }
    }

    /// <summary>Every input in priority order, until the main channel completes.</summary>
    public IAsyncEnumerable<NodeInput> ReadAllAsync(CancellationToken cancellationToken) =>
        Prioritized(main, _peers, clients, requestsPerTurn, () => Volatile.Write(ref _doorbell, 0), cancellationToken);

    /// <summary>
    /// The inputs of <paramref name="main"/> (ticks, state transfer), then <paramref name="peers"/>' messages round-robin,
    /// up to <see cref="ReplicaTurn"/> in all, then up to <paramref name="perTurn"/> client requests, and again, with
    /// <see cref="NodeInput.Drained"/> before it waits for more; ends when <paramref name="main"/> completes. <paramref name="clearDoorbell"/> runs between reading the main channel and the side queues.
    /// </summary>
    internal static async IAsyncEnumerable<NodeInput> Prioritized(ChannelReader<NodeInput> main, PeerInputQueues peers, ClientInputQueue clients, int perTurn,
        Action clearDoorbell, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            int taken = 0;
            while (taken < ReplicaTurn && main.TryRead(out NodeInput? input))
            {
                if (input is not NodeInput.InputsWaiting)
                {
                    taken++;
                    yield return input;
                }
            }

            // Cleared after the main channel was read and before the side queues are: anything queued after this line
            // rings again, and its wake-up stays in the main channel for the wait below.
            clearDoorbell();

            while (taken < ReplicaTurn && peers.TryDequeue(out NodeInput.PeerMessage? message))
            {
                taken++;
                yield return message;
            }

            for (int i = 0; i < perTurn && clients.TryDequeue(out NodeInput.ClientRequest request); i++)
            {
                yield return request;
            }

            if (clients.Count > 0 || peers.Count > 0 || main.Count > 0)
            {
                continue;
            }

            // The consumer acts on what it took (it may take a while: an fsync); anything that arrived meanwhile is
            // taken before waiting.
            yield return NodeInput.Drained.Instance;
            if (clients.Count > 0 || peers.Count > 0 || main.Count > 0)
            {
                continue;
            }

            if (!await main.WaitToReadAsync(cancellationToken))
            {
                yield break;
            }
        }
    }
}
