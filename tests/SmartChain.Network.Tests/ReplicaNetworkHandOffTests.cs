using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Net;
using SmartChain.Core.Crypto;
using SmartChain.Core.Views;

namespace SmartChain.Network.Tests;

/// <summary>
/// Issue 16, the cost of an instance: a frame a peer link receives reaches a reader that waits for it on the link's own
/// receive thread, not through one more thread-pool work item (about ten peer frames per consensus instance).
/// </summary>
public sealed class ReplicaNetworkHandOffTests : IAsyncDisposable
{
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 2).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(70 + i), 32).ToArray()))];
    private readonly View _view;

    public ReplicaNetworkHandOffTests()
    {
        int[] ports = TestPorts.Free(2);
        _view = new View(0, Enumerable.Range(0, 2).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", ports[i], ports[i] + 1, _keys[i].PublicKey)));
    }

    public ValueTask DisposeAsync()
    {
        foreach (Ed25519KeyPair key in _keys)
        {
            key.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private ReplicaNetwork Start(int id) => new(_view, "handoff-test", new LinkCredentials(id, _keys[id]),
        new IPEndPoint(IPAddress.Loopback, _view.Members[id].Port), LinkOptions.Default, _ => { });

    [Fact]
    public async Task A_waiting_reader_takes_each_frame_on_the_links_receive_loop()
    {
        ReplicaNetwork sender = Start(0);
        ReplicaNetwork receiver = Start(1);
        try
        {
            using var cts = new CancellationTokenSource(LinkFixture.Wait);

            // The link is up once a first frame has come through.
            sender.Send(1, FrameType.Consensus, "first"u8.ToArray());
            await receiver.Incoming.ReadAsync(cts.Token);

            for (int i = 0; i < 5; i++)
            {
                // A reader with no context of its own (as the peer pump in a replica process) waits on the empty channel;
                // where its continuation runs shows who handed the frame over. The continuation is registered before the
                // frame is sent, so the hand-over is the only thing that can run it.
                ValueTask<bool> wait = receiver.Incoming.WaitToReadAsync(cts.Token);
                Assert.False(wait.IsCompleted, "a frame was there before it was sent");
                Task<string> resumed = WhereItResumes(wait);

                sender.Send(1, FrameType.Consensus, "next"u8.ToArray());
                string stack = await resumed.WaitAsync(cts.Token);
                Assert.True(receiver.Incoming.TryRead(out (int From, Frame Frame) got));
                Assert.Equal(0, got.From);
                Assert.Contains("ReceiveLoopAsync", stack, StringComparison.Ordinal);
            }
        }
        finally
        {
            await sender.DisposeAsync();
            await receiver.DisposeAsync();
        }
    }

    // The stack of the thread that runs the wait's continuation, registered here without any context (ConfigureAwait(false)).
    private static Task<string> WhereItResumes(ValueTask<bool> wait)
    {
        var resumed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter waiter = wait.ConfigureAwait(false).GetAwaiter();
        waiter.OnCompleted(() =>
        {
            string trace = new StackTrace().ToString();
            resumed.SetResult(waiter.GetResult() ? trace : "channel completed");
        });
        return resumed.Task;
    }
}
