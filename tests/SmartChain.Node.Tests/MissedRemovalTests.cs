using SmartChain.Client;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Ledger.Store;
using SmartChain.Reconfiguration.Keys;

namespace SmartChain.Node.Tests;

/// <summary>
/// A replica removed while it was down, over real links and real files: back, it believes it is still a member, and must
/// learn its removal from the members' proof (the certified reconfiguration block, by state transfer) and retire.
/// </summary>
public class MissedRemovalTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token;

    [Fact]
    public async Task A_replica_removed_while_it_was_down_learns_it_when_it_comes_back_and_retires()
    {
        await using var net = new ReconfiguringNetwork();
        await using ChainClient client = await net.ClientAsync(Timeout());
        await net.MintAsync(client, 3);
        await net.JoinAsync(4, endorser: 1, Timeout());
        await net.Hosts[4].WaitForCertifiedAsync(net.Hosts[0].CommittedHeight, Timeout()); // Q of five without replica 3

        // Replica 3 is down while its LEAVE (signed with its identity key, sent by a client) is ordered and certified.
        await net.StopAsync(3);
        View four = await Membership.LeaveAsync(client, net.Chain, net.Identity(3), 3, Timeout());
        Assert.Equal([0, 1, 2, 4], four.Members.Select(m => m.Id));
        await net.MintAsync(client, 3);
        long height = net.Hosts[0].CommittedHeight;

        // Back, it starts as a member of view 1. Before, the members had closed its links once the LEAVE's block was
        // certified: no tip, no FETCH answer, it stayed a member of view 1 with its keys for good.
        ReplicaHost three = net.Start(3);
        Assert.Equal(1L, three.CurrentView.Id);
        await three.Removed.WaitAsync(TimeSpan.FromSeconds(30), Timeout());
        await net.StopAsync(3);

        using (ViewKeyChain chain = ViewKeyChain.Open(net.KeyChainFile(3)))
        {
            Assert.Equal(chain.Length, chain.Position); // every view key erased
        }

        using BlockStore store = BlockStore.OpenReadOnly(net.DataDir(3));
        BlockHeader last = store.Read(store.Height).Header;
        Assert.True(ReconfigurationBlock.Installs(last), $"replica 3's ledger ends at block {last.Number}, not at the block that removed it");
        Assert.NotNull(store.Read(store.Height).Certificate);
        Assert.True(store.Height < height);
    }
}
