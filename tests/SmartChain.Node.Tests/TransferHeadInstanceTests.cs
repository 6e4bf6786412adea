using SmartChain.Client;
using SmartChain.Coin;
using SmartChain.Coin.Wallet;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Ledger;
using SmartChain.Ledger.Store;
using SmartChain.Network.Client;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>
/// Second reader's finding 5: a checkpoint block's consensus id is outside every hash and has no proof to bind it, so
/// it must repeat the block before. Within a transfer the block before is the previous one received; for the first
/// block received it is this replica's own head (<see cref="ITransferTarget.HeadConsensusId"/>), or a source could name
/// any instance there.
/// </summary>
public class TransferHeadInstanceTests
{
    private const long Period = 10;

    private static CancellationToken Timeout(int seconds = 60) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    [Fact]
    public async Task A_first_transferred_block_that_is_a_checkpoint_block_must_repeat_the_consensus_id_of_our_head()
    {
        // Replica 0 is the first source replica 3 asks for blocks (sources are taken in id order after its own).
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: Period,
            optionsOf: i => i == 0 ? ReplicaOptions.Default with { TransferFault = TransferFault.CheckpointInstances } : null);
        await MintAsync(net, seed: 41, count: 2 * (int)Period);
        await net.Hosts[3]!.WaitForCertifiedAsync(2 * Period, Timeout());
        await net.StopAsync(3);

        // Replica 3 crashed just before a checkpoint block: its ledger ends at block c − 1, so block c, a checkpoint
        // block, is the first one it receives.
        long cut = CutBeforeCheckpoint(net.DataDir(3));
        await MintAsync(net, seed: 42, count: (int)Period);

        var log = new LogCapture();
        net.Loggers = log;
        ReplicaHost late = net.Start(3, ReplicaOptions.Default with
        {
            Transfer = TransferOptions.Default with
            {
                RequestTimeout = TimeSpan.FromSeconds(1), TipWait = TimeSpan.FromSeconds(10), TipGrace = TimeSpan.FromSeconds(10), RangeBlocks = 8, CatchUpThreshold = 4,
            },
        });
        TransferResult result = await late.FirstTransfer.WaitAsync(Timeout());

        IReadOnlyList<string> dropped = log.Containing("dropped replica 0 as a source");
        Assert.True(dropped.Count == 1, result.Summary + Environment.NewLine + string.Join(Environment.NewLine, log.Lines.Where(l => l.Contains("transfer", StringComparison.Ordinal))));
        Assert.Contains($"checkpoint block {cut} names consensus id", dropped[0], StringComparison.Ordinal);

        // The honest sources finished the job: replica 3 holds the others' head, and every ledger verifies and agrees.
        await late.WaitForCertifiedAsync(net.Hosts[1]!.CommittedHeight, Timeout());
        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }

    // Rewrites the block store to end right before its last checkpoint block c (blocks 0 … c − 1, with their
    // certificates); the rest of the data folder (vote log, snapshots) stays. Returns c.
    private static long CutBeforeCheckpoint(string dataDir)
    {
        Block[] kept;
        using (BlockStore store = BlockStore.OpenReadOnly(dataDir))
        {
            long cut = store.Height / Period * Period;
            Assert.True(cut >= 2 * Period, $"replica 3 holds blocks up to {store.Height} only");
            kept = [.. Enumerable.Range(0, (int)cut).Select(n => store.Read(n))];
        }

        Assert.True(kept[^1].Body.DecisionProof.Length > 0 && kept.All(b => b.Certificate is not null || b.Header.Number == 0));
        Directory.Delete(Path.Combine(dataDir, BlockStore.FolderName), recursive: true);
        using (BlockStore fresh = BlockStore.Open(dataDir))
        {
            foreach (Block block in kept)
            {
                fresh.Append(block);
            }

            fresh.Commit();
        }

        return kept.Length;
    }

    private static async Task MintAsync(InProcessNetwork net, byte seed, int count)
    {
        using var alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat(seed, 32).ToArray());
        var minter = new CoinWallet(net.Chain, net.Minter, firstSequence: (ulong)DateTime.UtcNow.Ticks);
        await using ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout());
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(minter.Mint([new CoinOutput(alice.PublicKey, 10)]), Timeout())).Status);
        }
    }
}
