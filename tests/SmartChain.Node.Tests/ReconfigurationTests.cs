using SmartChain.Client;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;

namespace SmartChain.Node.Tests;

/// <summary>Joins and leaves of real replica hosts over real links, with ordering going on between them.</summary>
public class ReconfigurationTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Theory]
    [InlineData(PersistenceMode.Strong)]
    [InlineData(PersistenceMode.Weak)]
    public async Task A_replica_joins_orders_with_the_others_and_a_member_leaves(PersistenceMode mode)
    {
        await using var net = new ReconfiguringNetwork(persistence: mode);
        var log = new LogCapture();
        net.Loggers = log;
        await using ChainClient client = await net.ClientAsync(Timeout());
        await net.MintAsync(client, 5);

        View five = await net.JoinAsync(4, endorser: 1, Timeout());
        Assert.Equal((1L, 5), (five.Id, five.N));
        await net.MintAsync(client, 10);
        Assert.Equal(1, client.View.Id);
        await net.Hosts[4].WaitForCertifiedAsync(net.Hosts[0].CommittedHeight, Timeout());
        Assert.Contains(4, client.ConnectedReplicas);

        View four;
        await using (ChainClient leaver = await net.ClientAsync(Timeout()))
        {
            four = await Membership.LeaveAsync(leaver, net.Chain, net.Identity(0), 0, Timeout());
        }

        Assert.Equal([1, 2, 3, 4], four.Members.Select(m => m.Id));
        await net.Hosts[0].Removed.WaitAsync(Timeout());
        await net.MintAsync(client, 10);

        foreach (int id in net.Hosts.Keys.ToList())
        {
            await net.StopAsync(id);
        }

        LedgerAssert.VerifiedAndIdentical(net.Genesis, [.. Enumerable.Range(1, 4).Select(net.DataDir)]);
    }

    [Fact]
    public async Task Members_restart_into_the_view_in_force_and_a_removed_replica_refuses_to_start()
    {
        await using var net = new ReconfiguringNetwork(checkpointPeriod: 8);
        await using ChainClient client = await net.ClientAsync(Timeout());
        await net.MintAsync(client, 5);
        await net.JoinAsync(4, endorser: 0, Timeout());
        await Membership.LeaveAsync(client, net.Chain, net.Identity(0), 0, Timeout());
        await net.Hosts[0].Removed.WaitAsync(Timeout());
        await net.MintAsync(client, 12);
        await net.Hosts[4].WaitForCertifiedAsync(net.Hosts[1].CommittedHeight, Timeout()); // the joiner has caught up

        // A member and the joiner restart: each recovers the view in force from its own ledger (past checkpoints) and orders.
        await net.StopAsync(1);
        await net.StopAsync(4);
        ReplicaHost one = net.Start(1);
        ReplicaHost four = net.Start(4);
        Assert.Equal((2L, 4), (one.CurrentView.Id, one.CurrentView.N));
        Assert.Equal(2L, four.CurrentView.Id);
        await net.MintAsync(client, 5);
        await four.WaitForCertifiedAsync(net.Hosts[2].CommittedHeight, Timeout());

        // The replica that left does not start again, and says why.
        await net.StopAsync(0);
        InvalidOperationException refused = Assert.Throws<InvalidOperationException>(() => net.Start(0));
        Assert.Contains("replica 0 was removed from the network", refused.Message, StringComparison.Ordinal);

        foreach (int id in net.Hosts.Keys.ToList())
        {
            await net.StopAsync(id);
        }

        LedgerAssert.VerifiedAndIdentical(net.Genesis, [.. Enumerable.Range(1, 4).Select(net.DataDir)]);
    }
}
