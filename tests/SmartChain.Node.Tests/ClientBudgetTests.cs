using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>A replica's budgets for client input (docs/network.md, "Budgets"), against real replicas over real TCP.</summary>
public class ClientBudgetTests
{
    private static CancellationToken Timeout(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private static async Task<SecureLink> ConnectAsync(InProcessNetwork net, int replica, Ed25519KeyPair identity)
    {
        var member = net.Genesis.InitialView.Members[replica];
        return await SecureLink.ConnectAsync(member.Host, member.ClientPort, net.Chain, new LinkCredentials(PeerIdentity.ClientId, identity),
            new PeerIdentity(replica, member.PublicKey), LinkOptions.Default, Timeout());
    }

    // The replica closed the link: a clean end, or a reset, within a few seconds.
    private static async Task<bool> ClosedAsync(SecureLink link)
    {
        try
        {
            return await link.ReceiveAsync(Timeout(5)) is null;
        }
        catch (Exception e) when (e is IOException or LinkException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_client_frame_larger_than_any_request_closes_the_link_instead_of_being_read()
    {
        await using var net = new InProcessNetwork();
        using var client = Ed25519KeyPair.Generate();
        await using SecureLink link = await ConnectAsync(net, 0, client);

        await link.SendAsync(FrameType.Request, new byte[1 << 20], Timeout());
        Assert.True(await ClosedAsync(link), "a 1 MiB frame on the client port was read and answered");

        await using SecureLink again = await ConnectAsync(net, 0, client); // the replica keeps serving
        await again.SendAsync(FrameType.Request, new byte[] { 1, 2, 3 }, Timeout());
        Frame? reply = await again.ReceiveAsync(Timeout());
        Assert.Equal(ReplyStatus.Rejected, ReplyMessage.Decode(reply!.Value.Payload.Span).Status);
    }

    [Fact]
    public async Task Sessions_above_the_per_source_cap_are_closed_and_the_ones_below_keep_working()
    {
        await using var net = new InProcessNetwork();
        using var client = Ed25519KeyPair.Generate();
        int cap = ClientBudget.Default.MaxSessionsPerSource;
        var links = new List<SecureLink>();
        try
        {
            for (int i = 0; i < cap; i++)
            {
                links.Add(await ConnectAsync(net, 0, client));
            }

            // Every one of them is served (the replica has taken them all before the next connects).
            foreach (SecureLink link in links)
            {
                await link.SendAsync(FrameType.Request, new byte[] { 1 }, Timeout());
                Assert.Equal(FrameType.Reply, (await link.ReceiveAsync(Timeout()))!.Value.Type);
            }

            await using SecureLink over = await ConnectAsync(net, 0, client); // the handshake completes; the session is refused
            Assert.True(await ClosedAsync(over), $"session {cap + 1} from 127.0.0.1 was kept open");

            await links[0].DisposeAsync();
            links.RemoveAt(0);
            SecureLink room = await ConnectAsync(net, 0, client);
            links.Add(room);
            bool served = false;
            for (int attempt = 0; attempt < 50 && !served; attempt++)
            {
                // The closed session leaves the books when its receive loop sees the close; until then the new one may be refused.
                await room.SendAsync(FrameType.Request, new byte[] { 1 }, Timeout());
                served = !await ClosedAsync(room);
                if (!served)
                {
                    await room.DisposeAsync();
                    links.Remove(room);
                    room = await ConnectAsync(net, 0, client);
                    links.Add(room);
                }
            }

            Assert.True(served, "a session below the cap was refused");
        }
        finally
        {
            foreach (SecureLink link in links)
            {
                await link.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_superseded_request_stops_waiting_for_its_reply_when_its_session_closes()
    {
        await using var net = new InProcessNetwork();
        using var wallet = Ed25519KeyPair.Generate();
        ReplicaHost replica1 = net.Hosts[1]!;

        // A (sequence 1) reaches replica 1 only; B (also sequence 1) the others, and B is what gets ordered.
        SignedRequest a = SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(wallet.PublicKey, 1)]).Encode());
        SignedRequest b = SignedRequest.Create(net.Chain, net.Minter, 1, 0, CoinOperation.Mint([new CoinOutput(wallet.PublicKey, 2)]).Encode());
        SecureLink toReplica1 = await ConnectAsync(net, 1, wallet);
        var tracked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        replica1.ClientRequestTracked += digest =>
        {
            if (digest == a.Digest)
            {
                tracked.TrySetResult();
            }
        };
        await toReplica1.SendAsync(FrameType.Request, a.Encoded, Timeout());
        var others = new List<SecureLink>();
        for (int i = 0; i < 4; i++)
        {
            if (i != 1)
            {
                others.Add(await ConnectAsync(net, i, wallet));
            }
        }

        await tracked.Task.WaitAsync(Timeout()); // A is verified on the thread pool, then tracked by the consensus loop

        foreach (SecureLink link in others)
        {
            await link.SendAsync(FrameType.Request, b.Encoded, Timeout());
        }

        ReplyMessage executed = ReplyMessage.Decode((await others[0].ReceiveAsync(Timeout()))!.Value.Payload.Span);
        Assert.Equal((ReplyStatus.Executed, b.Digest), (executed.Status, executed.Digest));

        // A will never execute: replica 1 must not keep its client forever once the client has gone.
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        replica1.ClientSessionClosed += () => closed.TrySetResult();
        await toReplica1.DisposeAsync();
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, replica1.PendingReplies);
        foreach (SecureLink link in others)
        {
            await link.DisposeAsync();
        }
    }
}
