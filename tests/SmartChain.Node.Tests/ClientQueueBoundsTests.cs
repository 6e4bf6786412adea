using System.Net;
using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Node.Tests;

/// <summary>The client budgets' counters on their own: bytes and items in, bytes and items out, per source.</summary>
public class ClientQueueBoundsTests
{
    [Fact]
    public void The_client_input_queue_refuses_by_bytes_and_by_count_and_gives_bytes_back_when_read()
    {
        using var key = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)5, 32).ToArray());
        SignedRequest request = SignedRequest.Create("bounds", key, 1, 0, CoinOperation.Mint([new CoinOutput(key.PublicKey, 1)]).Encode());
        var item = new NodeInput.ClientRequest(request, null!);
        var queue = new ClientInputQueue(maxCount: 3, maxBytes: (2 * request.Size) + 1);

        Assert.Null(queue.TryEnqueue(item));
        Assert.Null(queue.TryEnqueue(item));
        Assert.Contains("bytes of requests are waiting", queue.TryEnqueue(item), StringComparison.Ordinal);
        Assert.Equal(2 * request.Size, queue.Bytes);

        Assert.True(queue.TryDequeue(out _));
        Assert.Equal(request.Size, queue.Bytes);
        Assert.Null(queue.TryEnqueue(item));

        var byCount = new ClientInputQueue(maxCount: 1, maxBytes: long.MaxValue);
        Assert.Null(byCount.TryEnqueue(item));
        Assert.Contains("queue is full", byCount.TryEnqueue(item), StringComparison.Ordinal);
        Assert.Equal(request.Size, byCount.Bytes); // a refused request holds no bytes
    }

    [Fact]
    public void The_session_limiter_caps_each_source_and_the_total_and_frees_places()
    {
        var limiter = new ClientSessionLimiter(maxTotal: 3, maxPerSource: 2);
        IPAddress a = IPAddress.Parse("127.0.0.1");
        IPAddress b = IPAddress.Parse("127.0.0.2");

        Assert.Null(limiter.TryEnter(a, CancellationToken.None, out ClientSessionTicket? first, out _));
        Assert.Null(limiter.TryEnter(a, CancellationToken.None, out ClientSessionTicket? second, out _));
        Assert.Contains("per source", limiter.TryEnter(a, CancellationToken.None, out _, out _), StringComparison.Ordinal);
        Assert.Null(limiter.TryEnter(b, CancellationToken.None, out ClientSessionTicket? third, out _));
        Assert.Contains("cap 3", limiter.TryEnter(b, CancellationToken.None, out _, out _), StringComparison.Ordinal);
        Assert.Equal(3, limiter.Open);

        limiter.Leave(first!);
        Assert.Null(limiter.TryEnter(a, CancellationToken.None, out ClientSessionTicket? again, out _));
        Assert.Equal(3, limiter.Open);
        foreach (ClientSessionTicket? ticket in (ClientSessionTicket?[])[first, second, third, again])
        {
            ticket!.Dispose();
        }
    }

    [Fact]
    public async Task Replica_inputs_and_ticks_go_ahead_of_a_client_flood_which_is_taken_in_bounded_turns()
    {
        using var key = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)6, 32).ToArray());
        var clients = new ClientInputQueue(maxCount: 1000, maxBytes: long.MaxValue);
        var replicas = System.Threading.Channels.Channel.CreateUnbounded<NodeInput>();
        for (ulong i = 1; i <= 100; i++)
        {
            SignedRequest request = SignedRequest.Create("bounds", key, i, 0, CoinOperation.Mint([new CoinOutput(key.PublicKey, i)]).Encode());
            Assert.Null(clients.TryEnqueue(new NodeInput.ClientRequest(request, null!)));
        }

        // The flood came first; the ticks after it still come out first, and between two turns of 64 requests.
        replicas.Writer.TryWrite(new NodeInput.Tick());
        replicas.Writer.TryWrite(NodeInput.InputsWaiting.Instance);
        replicas.Writer.TryWrite(new NodeInput.Tick());
        var order = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (NodeInput input in SmartChain.Node.Ordering.ConsensusInputs.Prioritized(replicas.Reader, new PeerInputQueues(16), clients, 64, () => { }, cts.Token))
        {
            order.Add(input is NodeInput.Tick ? "tick" : "client");
            if (order.Count == 66)
            {
                replicas.Writer.TryWrite(new NodeInput.Tick()); // a vote or tick arriving during the flood
            }

            if (order.Count == 103)
            {
                break;
            }
        }

        Assert.Equal(["tick", "tick"], order[..2]);
        Assert.All(order[2..66], kind => Assert.Equal("client", kind));
        Assert.Equal("tick", order[66]); // served before the second turn of client requests
        Assert.All(order[67..], kind => Assert.Equal("client", kind));
        Assert.Equal(0, clients.Count);
    }
}
