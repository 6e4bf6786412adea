using SmartChain.Consensus.Messages;

namespace SmartChain.Node.Tests;

/// <summary>
/// Issue 14: replica messages reach the consensus loop round-robin per peer, so one peer that floods (within its byte
/// budget) cannot delay the others' votes by more than one message each, and fills only its own bounded queue.
/// </summary>
public class PeerFairnessTests
{
    [Fact]
    public async Task With_one_peers_queue_full_another_peers_message_is_taken_within_a_bounded_number_of_takes()
    {
        var main = System.Threading.Channels.Channel.CreateUnbounded<NodeInput>();
        var peers = new PeerInputQueues(perPeer: 10_000);
        var clients = new ClientInputQueue(maxCount: 16, maxBytes: long.MaxValue);

        // Peer 1 floods: its queue is full before peer 2's single vote arrives; peer 1's next message is refused.
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(peers.TryEnqueue(new NodeInput.PeerMessage(1, new Fetch(0, 1 + i, 0), 32)));
        }

        Assert.False(peers.TryEnqueue(new NodeInput.PeerMessage(1, new Fetch(0, 10_001, 0), 32)));
        Assert.True(peers.TryEnqueue(new NodeInput.PeerMessage(2, new Fetch(0, 1, 0), 32)));
        main.Writer.TryWrite(new NodeInput.Tick());

        var order = new List<int>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (NodeInput input in SmartChain.Node.Ordering.ConsensusInputs.Prioritized(main.Reader, peers, clients, 64, () => { }, cts.Token))
        {
            order.Add(input is NodeInput.PeerMessage p ? p.From : -1);
            if (order.Count == 6)
            {
                // Peer 3 arrives in the middle of the flood: its message waits behind at most one of each other peer.
                Assert.True(peers.TryEnqueue(new NodeInput.PeerMessage(3, new Fetch(0, 1, 0), 32)));
            }

            if (order.Count == 10)
            {
                break;
            }
        }

        // The tick first, then peer 1 and peer 2 in turn (peer 2 on the second take of peer messages), then peer 3's
        // message on the first turn after it arrived.
        Assert.Equal([-1, 1, 2, 1, 1, 1, 1, 3, 1, 1], order);
        Assert.Equal(10_000 - 7, peers.Count);
        Assert.Equal(0, peers.CountOf(2));
    }
}
