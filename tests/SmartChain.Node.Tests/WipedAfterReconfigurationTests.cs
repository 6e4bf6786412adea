using SmartChain.Client;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>
/// Issue 18's nemesis finding: a member of a view installed after genesis loses its data folder and restarts knowing
/// only the genesis view; it must still learn the view in force from its peers' tips and catch up, over real links.
/// </summary>
public class WipedAfterReconfigurationTests
{
    private static readonly ReplicaOptions QuickTransfer = ReplicaOptions.Default with
    {
        Transfer = TransferOptions.Default with { RequestTimeout = TimeSpan.FromSeconds(1), TipWait = TimeSpan.FromSeconds(2), RangeBlocks = 8 },
    };

    private static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task A_member_of_a_later_view_whose_data_folder_was_wiped_catches_up_from_genesis()
    {
        await using var net = new ReconfiguringNetwork(n: 5, persistence: PersistenceMode.Weak, checkpointPeriod: 10);
        var log = new LogCapture();
        net.Loggers = log;
        await using ChainClient client = await LeaveAndWipeAsync(net);
        long head = net.Hosts[1].CommittedHeight;
        ReplicaHost wiped = net.Start(0, QuickTransfer);

        await AssertCaughtUpAsync(net, wiped, head, log);
    }

    // The nemesis run's replica 0: its first round found no peer to vouch for a tip, and it never asked again.
    [Fact]
    public async Task A_wiped_replica_whose_first_transfer_finds_no_tip_asks_again_until_it_catches_up()
    {
        await using var net = new ReconfiguringNetwork(n: 5, persistence: PersistenceMode.Weak, checkpointPeriod: 10);
        var log = new LogCapture();
        net.Loggers = log;
        await (await LeaveAndWipeAsync(net)).DisposeAsync();

        long head = net.Hosts[1].CommittedHeight;
        foreach (int id in new[] { 1, 2, 3 })
        {
            await net.StopAsync(id);
        }

        ReplicaHost wiped = net.Start(0, QuickTransfer with { Transfer = QuickTransfer.Transfer with { TipWait = TimeSpan.FromMilliseconds(300) } });
        TransferResult first = await wiped.FirstTransfer.WaitAsync(Timeout());
        Assert.True(first.NoVerifiableTip, first.Summary);
        foreach (int id in new[] { 1, 2, 3 })
        {
            net.Start(id);
        }

        await AssertCaughtUpAsync(net, wiped, head, log);
        Assert.NotEmpty(log.Containing("no verifiable tip after 1 attempt(s); asking the peers again"));
    }

    [Fact]
    public void The_wait_between_rounds_without_a_tip_doubles_from_half_a_second_and_stays_at_most_ten_seconds()
    {
        Assert.Equal(
            [0.5, 1, 2, 4, 8, 10, 10, 10],
            new[] { 1, 2, 3, 4, 5, 6, 40, int.MaxValue }.Select(n => SmartChain.Node.Transfer.TransferCoordinator.NoTipBackoff(n).TotalSeconds));
    }

    // View 1 = {0, 1, 2, 3} after replica 4 leaves (and is gone for good); then replica 0 is stopped and its data
    // folder deleted, so it restarts believing the genesis view. Returns the client that minted.
    private static async Task<ChainClient> LeaveAndWipeAsync(ReconfiguringNetwork net)
    {
        ChainClient client = await net.ClientAsync(Timeout());
        await net.MintAsync(client, 5);
        View four;
        await using (ChainClient leaver = await net.ClientAsync(Timeout()))
        {
            four = await Membership.LeaveAsync(leaver, net.Chain, net.Identity(4), 4, Timeout());
        }

        Assert.Equal((1L, 4), (four.Id, four.N));
        await net.Hosts[4].Removed.WaitAsync(Timeout());
        await net.StopAsync(4);
        await net.MintAsync(client, 15);

        await net.StopAsync(0);
        Directory.Delete(net.DataDir(0), recursive: true);
        Directory.CreateDirectory(net.DataDir(0));
        await net.MintAsync(client, 5);
        return client;
    }

    private static async Task AssertCaughtUpAsync(ReconfiguringNetwork net, ReplicaHost wiped, long head, LogCapture log)
    {
        using (var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await wiped.WaitForCertifiedAsync(head, bound.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the wiped replica stays at certified block {wiped.CertifiedPrefix}; the others are at block {head}" + Environment.NewLine +
                    string.Join(Environment.NewLine, log.Lines.Where(l => l.Contains("transfer", StringComparison.OrdinalIgnoreCase))));
            }
        }

        foreach (int id in net.Hosts.Keys.ToList())
        {
            await net.StopAsync(id);
        }

        LedgerAssert.VerifiedAndIdentical(net.Genesis, [.. Enumerable.Range(0, 4).Select(net.DataDir)]);
    }
}
