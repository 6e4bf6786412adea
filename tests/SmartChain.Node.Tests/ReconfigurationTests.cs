using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Views;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>Joins and leaves of real replica hosts over real links, with ordering going on between them.</summary>
public class ReconfigurationTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Fact]
    public async Task A_replica_joins_orders_with_the_others_and_a_member_leaves()
    {
        await using var net = new ReconfiguringNetwork();
        var log = new LogCapture();
        net.Loggers = log;
        await using ChainClient client = await net.ClientAsync(Timeout());
        await MintAsync(client, net, 5);

        View five = await net.JoinAsync(4, endorser: 1, Timeout());
        Assert.Equal((1L, 5), (five.Id, five.N));
        await MintAsync(client, net, 10);
        Assert.Equal(1, client.View.Id);
        try
        {
            await net.Hosts[4].WaitForCertifiedAsync(net.Hosts[0].CommittedHeight, new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail(net.Hosts[4].Status + "\n" + net.Hosts[0].Status + "\n" + string.Join("\n", log.Lines));
        }

        View four;
        await using (ChainClient leaver = await net.ClientAsync(Timeout()))
        {
            four = await Membership.LeaveAsync(leaver, net.Chain, net.Identity(0), 0, Timeout());
        }

        Assert.Equal([1, 2, 3, 4], four.Members.Select(m => m.Id));
        await net.Hosts[0].Removed.WaitAsync(Timeout());
        await MintAsync(client, net, 10);

        foreach (int id in net.Hosts.Keys.ToList())
        {
            await net.StopAsync(id);
        }

        LedgerAssert.VerifiedAndIdentical(net.Genesis, [.. Enumerable.Range(1, 4).Select(net.DataDir)]);
    }

    private static async Task MintAsync(ChainClient client, ReconfiguringNetwork net, int count)
    {
        var minter = new CoinWallet(net.Chain, net.Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        for (int i = 0; i < count; i++)
        {
            try
            {
                ReplyMessage reply = await client.SubmitAsync(minter.Mint([new CoinOutput(net.Minter.PublicKey, 10)]), Timeout());
                Assert.Equal(ReplyStatus.Executed, reply.Status);
            }
            catch (ChainClientException e)
            {
                Assert.Fail($"{e.Message}; client view {client.View.Id}, connected to {string.Join(",", client.ConnectedReplicas)}; " + string.Join(" | ", net.Hosts.Values.Select(h => h.Status)));
            }
        }
    }
}
