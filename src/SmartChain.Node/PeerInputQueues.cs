using System.Diagnostics.CodeAnalysis;

namespace SmartChain.Node;

/// <summary>
/// Replica messages on their way to the consensus loop: one FIFO per peer, bounded by count, taken round-robin (one
/// message of each peer with something waiting, in turn). A peer that floods, even within its byte budget
/// (<c>PeerInboundBudget</c>), fills only its own queue: another peer's vote waits behind at most one message of each
/// peer, never behind the flood. One producer (the peer pump) and one consumer (the consensus loop); a queue's storage
/// grows once to its peak and is reused, so nothing is allocated per message.
/// </summary>
internal sealed class PeerInputQueues(int perPeer)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Queue<NodeInput.PeerMessage>> _queues = [];

    // Peers with a message waiting, each once, in the order of their next turn.
    private readonly Queue<int> _turns = new();
    private int _count;

    /// <summary>Messages waiting, all peers together.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Messages of <paramref name="peer"/> waiting.</summary>
    public int CountOf(int peer)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(peer, out Queue<NodeInput.PeerMessage>? queue) ? queue.Count : 0;
        }
    }

    /// <summary>Queues <paramref name="message"/> behind its sender's others; false (not queued) if that sender already has <c>perPeer</c> waiting.</summary>
    public bool TryEnqueue(NodeInput.PeerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            // Peers are members of a view (links authenticate them), so this holds one queue per member ever seen.
            if (!_queues.TryGetValue(message.From, out Queue<NodeInput.PeerMessage>? queue))
            {
                queue = new Queue<NodeInput.PeerMessage>();
                _queues.Add(message.From, queue);
            }

            if (queue.Count >= perPeer)
            {
                return false;
            }

            queue.Enqueue(message);
            if (queue.Count == 1)
            {
                _turns.Enqueue(message.From);
            }

            _count++;
            return true;
        }
    }

    /// <summary>Takes the oldest message of the peer whose turn it is; that peer goes to the back of the line if it has more.</summary>
    public bool TryDequeue([NotNullWhen(true)] out NodeInput.PeerMessage? message)
    {
        lock (_gate)
        {
            if (!_turns.TryDequeue(out int peer))
            {
                message = null;
                return false;
            }

            Queue<NodeInput.PeerMessage> queue = _queues[peer];
            message = queue.Dequeue();
            if (queue.Count > 0)
            {
                _turns.Enqueue(peer);
            }

            _count--;
            return true;
        }
    }
}
