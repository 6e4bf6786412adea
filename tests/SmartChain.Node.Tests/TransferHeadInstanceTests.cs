using SmartChain.Core.Genesis;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>
/// Second reader's finding 5: a checkpoint block's consensus id is outside every hash and has no proof to bind it, so
/// it must repeat the block before (<see cref="TransferVerifier.CheckCheckpointInstance"/>). Within a transfer the block
/// before is the previous one received; for the first block received it is this replica's own head
/// (<see cref="ITransferTarget.HeadConsensusId"/>). A restarted replica builds a checkpoint block that is due at its head
/// itself (<see cref="CheckpointBlockAtRestartTests"/>), so through real replicas a transferred checkpoint block comes
/// after other transferred blocks; the first-block case is checked on the verifier
/// (<c>TransferVerifierTests.A_checkpoint_block_must_repeat_the_consensus_id_of_the_block_before_it</c>).
/// </summary>
public class TransferHeadInstanceTests
{
    private const long Period = 10;

    private static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task A_transferred_checkpoint_block_must_repeat_the_consensus_id_of_the_block_before_it()
    {
        // Replica 0 is the first source replica 3 asks for blocks (sources are taken in id order after its own).
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: Period,
            optionsOf: i => i == 0 ? ReplicaOptions.Default with { TransferFault = TransferFault.CheckpointInstances } : null);
        await Minting.MintAsync(net, seed: 41, count: 2 * (int)Period);
        await net.Hosts[3]!.WaitForCertifiedAsync(2 * Period, Timeout());
        await net.StopAsync(3);

        // The others go past the next checkpoint block after replica 3's head (and after the one it may build at start).
        await Minting.MintAsync(net, seed: 42, count: (int)Period + 4);
        var log = new LogCapture();
        net.Loggers = log;
        ReplicaHost late = net.Start(3, ReplicaOptions.Default with
        {
            Transfer = TransferOptions.Default with
            {
                RequestTimeout = TimeSpan.FromSeconds(1), TipWait = TimeSpan.FromSeconds(10), TipGrace = TimeSpan.FromSeconds(10), RangeBlocks = 32, CatchUpThreshold = 4,
            },
        });
        TransferResult result = await late.FirstTransfer.WaitAsync(Timeout());

        IReadOnlyList<string> dropped = log.Containing("dropped replica 0 as a source");
        Assert.True(dropped.Count == 1, result.Summary + Environment.NewLine + string.Join(Environment.NewLine, log.Lines.Where(l => l.Contains("transfer", StringComparison.Ordinal))));
        Assert.Matches(@"checkpoint block \d+0 names consensus id", dropped[0]);

        // The honest sources finished the job: replica 3 holds the others' head, and every ledger verifies and agrees.
        await late.WaitForCertifiedAsync(net.Hosts[1]!.CommittedHeight, Timeout());
        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }
}
