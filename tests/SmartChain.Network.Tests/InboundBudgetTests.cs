using System.Net;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Network.Tests;

/// <summary>Issue 14, point 6: what a peer sends is bounded by bytes per peer, not by a frame count shared by all.</summary>
public sealed class InboundBudgetTests : IAsyncDisposable
{
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(80 + i), 32).ToArray()))];
    private readonly View _view;

    public InboundBudgetTests()
    {
        int[] ports = TestPorts.Free(4);
        _view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", ports[i], ports[i] + 1, _keys[i].PublicKey)));
    }

    public ValueTask DisposeAsync()
    {
        foreach (Ed25519KeyPair key in _keys)
        {
            key.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private ReplicaNetwork Start(int id, long inboundBytesPerPeer) => new(_view, "budget-test", new LinkCredentials(id, _keys[id]),
        new IPEndPoint(IPAddress.Loopback, _view.Members[id].Port), LinkOptions.Default, _ => { }, inboundBytesPerPeer: inboundBytesPerPeer);

    [Fact]
    public async Task A_peer_whose_frames_are_not_taken_stops_at_its_byte_budget_while_another_peer_still_gets_through()
    {
        const int FrameBytes = 10_000;
        const long Budget = 4 * FrameBytes;
        await using ReplicaNetwork receiver = Start(0, Budget);
        await using ReplicaNetwork flooder = Start(1, Budget);
        await using ReplicaNetwork honest = Start(2, Budget);
        for (int i = 0; i < 20; i++)
        {
            flooder.Send(0, FrameType.Consensus, new byte[FrameBytes]);
        }

        // The reader takes frames off the channel but does not release them: after the budget, the flooder waits.
        using var wait = new CancellationTokenSource(LinkFixture.Wait);
        for (int i = 0; i < 4; i++)
        {
            (int from, Frame frame) = await receiver.Incoming.ReadAsync(wait.Token);
            Assert.Equal((1, FrameBytes), (from, frame.Payload.Length));
        }

        Assert.True(receiver.InboundQueuedBytes <= Budget, $"{receiver.InboundQueuedBytes} bytes queued");

        // Another peer's frame is not held back by the flooder's budget.
        honest.Send(0, FrameType.Consensus, "vote"u8.ToArray());
        (int next, Frame nextFrame) = await receiver.Incoming.ReadAsync(wait.Token);
        Assert.Equal((2, 4), (next, nextFrame.Payload.Length));
        receiver.Release(2, 4);
        Assert.Equal(0, receiver.Incoming.Count); // nothing more of the flooder's came in
        Assert.True(receiver.InboundQueuedBytes <= Budget, $"{receiver.InboundQueuedBytes} bytes queued");

        // Released, the rest of the flood arrives, and never more than the budget is queued at once.
        receiver.Release(1, 4 * FrameBytes);
        for (int i = 4; i < 20; i++)
        {
            (int from, Frame frame) = await receiver.Incoming.ReadAsync(wait.Token);
            Assert.Equal(1, from);
            Assert.True(receiver.InboundQueuedBytes <= Budget, $"{receiver.InboundQueuedBytes} bytes queued");
            receiver.Release(1, frame.Payload.Length);
        }

        Assert.Equal(0, receiver.InboundQueuedBytes);
    }
}
