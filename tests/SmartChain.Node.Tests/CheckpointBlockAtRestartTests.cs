using SmartChain.Core.Genesis;
using SmartChain.Ledger.Store;

namespace SmartChain.Node.Tests;

/// <summary>
/// Simulator seed 9361: a crash made the block before a checkpoint block durable but not the checkpoint block (a torn
/// tail, a power cut between the two). Recovery replays up to that block; execution builds a checkpoint block only right
/// after executing the block before it, so unless the replica builds the due checkpoint block when it starts, nothing
/// ever does, and it cannot follow the others.
/// </summary>
public class CheckpointBlockAtRestartTests
{
    private const long Period = 10;

    private static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task A_replica_whose_ledger_ends_just_before_a_checkpoint_block_builds_it_at_restart_and_follows_the_others()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: Period);
        await Minting.MintAsync(net, seed: 51, count: 2 * (int)Period);
        await net.Hosts[3]!.WaitForCertifiedAsync(2 * Period, Timeout());
        await net.StopAsync(3);
        long cut = LedgerCut.BeforeLastCheckpoint(net.DataDir(3), Period);

        // A few blocks more, fewer than a state transfer would be used for: the restarted replica follows by ordinary
        // ordering, and needs its own checkpoint block `cut` first.
        await Minting.MintAsync(net, seed: 52, count: 3);
        ReplicaHost restarted = net.Start(3);
        long tip = net.Hosts[1]!.CommittedHeight;
        Assert.True(tip > cut, $"the others are at block {tip}, not past the checkpoint block {cut}");
        await Minting.MintAsync(net, seed: 53, count: 2);
        long target = net.Hosts[1]!.CommittedHeight;
        try
        {
            await restarted.WaitForCertifiedAsync(target, Timeout(30));
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the restarted replica stayed at block {restarted.CommittedHeight} for 30 s; the others are at {target}, its ledger was cut before checkpoint block {cut}");
        }

        await net.StopAsync();
        using (BlockStore store = BlockStore.OpenReadOnly(net.DataDir(3)))
        {
            Assert.True(store.Read(cut).Body.DecisionProof.IsEmpty, $"block {cut} of the restarted replica is not a checkpoint block");
        }

        ReplicaHostTests.AssertVerifiedLedgers(net);
    }
}
