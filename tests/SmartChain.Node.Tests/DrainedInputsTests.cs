using SmartChain.Consensus.Messages;

namespace SmartChain.Node.Tests;

/// <summary>
/// Drain, then act (issue 16): the consensus loop is told when every queue is empty, so the driver handles the core's
/// Ready once for everything it took (one vote-log fsync, one proposal), and never waits with inputs unacted on.
/// </summary>
public class DrainedInputsTests
{
    [Fact]
    public async Task Drained_comes_once_after_everything_queued_and_again_after_what_arrives_later()
    {
        var main = System.Threading.Channels.Channel.CreateUnbounded<NodeInput>();
        var peers = new PeerInputQueues(perPeer: 16);
        var clients = new ClientInputQueue(maxCount: 16, maxBytes: long.MaxValue);
        Assert.True(peers.TryEnqueue(new NodeInput.PeerMessage(1, new Fetch(0, 1, 0), 32)));
        Assert.True(peers.TryEnqueue(new NodeInput.PeerMessage(2, new Fetch(0, 1, 0), 32)));
        main.Writer.TryWrite(new NodeInput.Tick());

        var order = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (NodeInput input in SmartChain.Node.Ordering.ConsensusInputs.Prioritized(main.Reader, peers, clients, 64, () => { }, cts.Token))
        {
            order.Add(input switch
            {
                NodeInput.Drained => "drained",
                NodeInput.Tick => "tick",
                NodeInput.PeerMessage p => $"peer{p.From}",
                _ => "other",
            });
            if (order.Count == 4)
            {
                // Arrives while the loop acts on the first burst: taken before it waits, then drained again.
                Assert.True(peers.TryEnqueue(new NodeInput.PeerMessage(3, new Fetch(0, 1, 0), 32)));
            }

            if (order.Count == 6)
            {
                break;
            }
        }

        Assert.Equal(["tick", "peer1", "peer2", "drained", "peer3", "drained"], order);
    }
}
