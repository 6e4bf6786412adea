using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>Bad input on a replica's client port: refused with a reason, nothing decided, the replica keeps serving.</summary>
public class ClientBadInputTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static async Task<SecureLink> ConnectAsync(InProcessNetwork net, int replica, Ed25519KeyPair identity)
    {
        var member = net.Genesis.InitialView.Members[replica];
        return await SecureLink.ConnectAsync(member.Host, member.ClientPort, net.Chain, new LinkCredentials(PeerIdentity.ClientId, identity),
            new PeerIdentity(replica, member.PublicKey), LinkOptions.Default, Timeout());
    }

    private static async Task<ReplyMessage> NextReplyAsync(SecureLink link)
    {
        Frame? frame = await link.ReceiveAsync(Timeout());
        Assert.Equal(FrameType.Reply, frame!.Value.Type);
        return ReplyMessage.Decode(frame.Value.Payload.Span);
    }

    [Fact]
    public async Task Malformed_oversized_and_badly_signed_requests_are_refused_and_the_replica_keeps_serving()
    {
        await using var net = new InProcessNetwork();
        using var client = Ed25519KeyPair.Generate();
        await using SecureLink link = await ConnectAsync(net, 0, client);

        await link.SendAsync(FrameType.Request, new byte[] { 1, 2, 3 }, Timeout());
        ReplyMessage malformed = await NextReplyAsync(link);
        Assert.Equal(ReplyStatus.Rejected, malformed.Status);
        Assert.Contains("malformed request", System.Text.Encoding.UTF8.GetString(malformed.Result.Span), StringComparison.Ordinal);

        await link.SendAsync(FrameType.Request, new byte[net.Genesis.Consensus.MaxRequestBytes + 1], Timeout());
        Assert.Contains("exceeds", System.Text.Encoding.UTF8.GetString((await NextReplyAsync(link)).Result.Span), StringComparison.Ordinal);

        byte[] forged = SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(client.PublicKey, 9)]).Encode()).Encoded.ToArray();
        forged[^1] ^= 1;
        await link.SendAsync(FrameType.Request, forged, Timeout());
        ReplyMessage badSignature = await NextReplyAsync(link);
        Assert.Equal(ReplyStatus.Rejected, badSignature.Status);
        Assert.Contains("signature does not verify", System.Text.Encoding.UTF8.GetString(badSignature.Result.Span), StringComparison.Ordinal);

        // A consensus frame on the client port ends that link only.
        await link.SendAsync(FrameType.Consensus, new byte[] { 1 }, Timeout());
        Assert.Null(await link.ReceiveAsync(Timeout()));

        await using SecureLink again = await ConnectAsync(net, 0, client);
        SignedRequest good = SignedRequest.Create(net.Chain, net.Minter, 2, 0, CoinOperation.Mint([new CoinOutput(client.PublicKey, 9)]).Encode());
        for (int i = 1; i < 4; i++)
        {
            await using SecureLink other = await ConnectAsync(net, i, client);
            await other.SendAsync(FrameType.Request, good.Encoded, Timeout());
        }

        await again.SendAsync(FrameType.Request, good.Encoded, Timeout());
        ReplyMessage executed = await NextReplyAsync(again);
        Assert.True(executed.Status is ReplyStatus.Executed or ReplyStatus.Duplicate);
        Assert.Equal(1, executed.Instance); // nothing bad was ever decided
    }

    [Fact]
    public async Task Random_bytes_on_the_replica_and_client_ports_of_live_replicas_change_nothing()
    {
        await using var net = new InProcessNetwork();
        var random = new Random(7);
        foreach (var member in net.Genesis.InitialView.Members)
        {
            foreach (int port in (int[])[member.Port, member.ClientPort])
            {
                byte[] garbage = new byte[random.Next(1, 2000)];
                random.NextBytes(garbage);
                using var raw = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await raw.ConnectAsync("127.0.0.1", port);
                await raw.SendAsync(garbage);
                await raw.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());
            }
        }

        using var client = Ed25519KeyPair.Generate();
        await using SmartChain.Client.ChainClient chain = await SmartChain.Client.ChainClient.ConnectAsync(net.Genesis, client, null, Timeout());
        ReplyMessage reply = await chain.SubmitAsync(SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(client.PublicKey, 3)]).Encode()), Timeout());
        Assert.Equal((ReplyStatus.Executed, 1L), (reply.Status, reply.Instance));
        Assert.All(net.Hosts, h => Assert.NotEqual(Environment.CurrentManagedThreadId, h!.ConsensusThreadId));
    }

    [Fact]
    public async Task A_client_that_never_reads_its_replies_does_not_stall_anyone_else()
    {
        await using var net = new InProcessNetwork();
        using var greedy = Ed25519KeyPair.Generate();
        await using SecureLink flood = await ConnectAsync(net, 0, greedy);
        byte[] query = CoinQuery.CoinsOf(greedy.PublicKey);
        for (int i = 0; i < 200_000; i++)
        {
            await flood.SendAsync(FrameType.Query, new QueryMessage((ulong)i, query).Encode(), flush: i % 1000 == 999, Timeout());
        }

        // The answers pile up in the greedy client's own bounded queue; execution and everyone else carry on.
        using var alice = Ed25519KeyPair.Generate();
        await using SmartChain.Client.ChainClient client = await SmartChain.Client.ChainClient.ConnectAsync(net.Genesis, alice,
            new SmartChain.Client.ClientOptions { RequestTimeout = TimeSpan.FromSeconds(20) }, Timeout());
        ReplyMessage reply = await client.SubmitAsync(SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(alice.PublicKey, 3)]).Encode()), Timeout());
        Assert.Equal(ReplyStatus.Executed, reply.Status);
    }
}
