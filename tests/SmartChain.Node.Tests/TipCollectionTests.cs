using System.Collections.Concurrent;
using SmartChain.Network;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>
/// The tip round of a state transfer, through real replicas. The whole-replica simulator (seed 179 with a leader that
/// waits for fuller batches) showed a restarted replica whose tip requests were all lost wait out the whole
/// <see cref="TransferOptions.TipWait"/> (3 s), while the network, which needed it for a quorum, stood still.
/// </summary>
public class TipCollectionTests
{
    private static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    // A tip wait far longer than any test deadline: a replica that waits it out fails the test.
    private static readonly TransferOptions LongTipWait = TransferOptions.Default with { TipWait = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task A_lost_tip_request_is_asked_again_instead_of_waiting_out_the_tip_wait()
    {
        var lose = new LoseTipRequests(first: 1);
        await using var net = new InProcessNetwork(persistence: Core.Genesis.PersistenceMode.Weak,
            optionsOf: i => i == 3 ? ReplicaOptions.Default with { Transfer = LongTipWait, OutboundFilter = lose } : null);

        TransferResult result = await net.Hosts[3]!.FirstTransfer.WaitAsync(Timeout());

        Assert.False(result.NoVerifiableTip, result.Summary);
        Assert.All([0, 1, 2], peer => Assert.True(lose.TipRequestsTo(peer) >= 2, $"replica {peer} was asked {lose.TipRequestsTo(peer)} time(s)"));
    }

    /// <summary>Test double of a lossy link: the first <c>first</c> tip requests to each peer never leave.</summary>
    private sealed class LoseTipRequests(int first) : IOutboundFrameFilter
    {
        private readonly ConcurrentDictionary<int, int> _tipRequests = new();

        public int TipRequestsTo(int peer) => _tipRequests.GetValueOrDefault(peer);

        public void OnSend(int peer, FrameType type, ReadOnlyMemory<byte> payload, Action<int, FrameType, ReadOnlyMemory<byte>> send)
        {
            if (type == FrameType.StateTransfer && TransferMessage.Decode(payload.Span) is TransferMessage.TipRequest &&
                _tipRequests.AddOrUpdate(peer, 1, (_, count) => count + 1) <= first)
            {
                return;
            }

            send(peer, type, payload);
        }
    }
}
