using SmartChain.Client;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Network;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>
/// Replicas brought to the tip by state transfer over real links: snapshot from one peer, blocks from several, each
/// checked; Byzantine sources dropped with the reason while the honest ones finish the job.
/// </summary>
public class StateTransferTests
{
    private const long Period = 10;

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token;

    private static readonly ReplicaOptions QuickTransfer = ReplicaOptions.Default with
    {
        // Every peer's tip is awaited (their links may still be connecting), so the Byzantine one is always consulted.
        Transfer = TransferOptions.Default with
        {
            RequestTimeout = TimeSpan.FromSeconds(1), TipWait = TimeSpan.FromSeconds(10), TipGrace = TimeSpan.FromSeconds(10), RangeBlocks = 8,
        },
    };

    [Theory]
    [InlineData(PersistenceMode.Weak, TestApplication.Coin)]
    [InlineData(PersistenceMode.Strong, TestApplication.Coin)]
    [InlineData(PersistenceMode.Weak, TestApplication.Register)]
    public async Task A_replica_stopped_across_several_checkpoints_catches_up_from_a_snapshot_and_blocks(PersistenceMode mode, string application)
    {
        TestApplication app = TestApplication.Named(application);
        await using var net = new InProcessNetwork(persistence: mode, checkpointPeriod: Period, application: app.Factory);
        await net.StopAsync(3);
        await app.WriteAsync(net, seed: 11, count: 60, Timeout());

        await CatchUpAsync(net, QuickTransfer, expectSnapshot: true, app);
    }

    [Fact]
    public async Task A_replica_whose_data_folder_was_deleted_rejoins_from_nothing()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: Period);
        await Minting.MintAsync(net, seed: 12, count: 15, seconds: 90);
        await net.StopAsync(3);
        Directory.Delete(net.DataDir(3), recursive: true);
        await Minting.MintAsync(net, seed: 13, count: 30, seconds: 90);

        await CatchUpAsync(net, QuickTransfer, expectSnapshot: true);
    }

    [Fact]
    public async Task A_replica_a_few_blocks_behind_transfers_blocks_only()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: 1000);
        await net.StopAsync(3);
        await Minting.MintAsync(net, seed: 14, count: 45, seconds: 90);

        await CatchUpAsync(net, QuickTransfer with { Transfer = QuickTransfer.Transfer with { CatchUpThreshold = 4 } }, expectSnapshot: false);
    }

    // Execution builds a checkpoint block right after the block before it; when that block ends a range and the next
    // range comes late, the checkpoint block exists here before its transferred certificate. A joiner holds no key of
    // the view that certified it, and its signers erased theirs when they moved on: only that certificate can reach it.
    [Fact]
    public async Task A_joiner_that_executes_a_checkpoint_block_before_its_transferred_certificate_arrives_certifies_it_with_that_one()
    {
        await using var net = new ReconfiguringNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: Period,
            optionsOf: _ => ReplicaOptions.Default with { TransferFault = TransferFault.SlowCheckpoints });
        await using ChainClient client = await net.ClientAsync(Timeout());
        await net.MintAsync(client, 12); // past checkpoint block 10, not yet at 20: the joiner transfers blocks only

        await net.JoinAsync(4, endorser: 1, Timeout(),
            options: QuickTransfer with { Transfer = QuickTransfer.Transfer with { CatchUpThreshold = 4, ParallelRanges = 1 } });
        TransferResult result = await net.Hosts[4].FirstTransfer.WaitAsync(Timeout());
        Assert.Null(result.Checkpoint);
        long head = net.Hosts[0].CommittedHeight;
        using var certified = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await net.Hosts[4].WaitForCertifiedAsync(head, certified.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the joiner's certified prefix stays at block {net.Hosts[4].CertifiedPrefix}; the others are at block {head}");
        }

        foreach (int id in net.Hosts.Keys.ToList())
        {
            await net.StopAsync(id);
        }

        using (var store = SmartChain.Ledger.Store.BlockStore.OpenReadOnly(net.DataDir(4)))
        {
            Assert.NotNull(store.Read(Period).Certificate);
        }

        LedgerAssert.VerifiedAndIdentical(net.Genesis, [.. Enumerable.Range(0, 5).Select(net.DataDir)]);
    }

    [Theory]
    [InlineData(nameof(TransferFault.FarTip), "claimed a tip at block")]
    [InlineData(nameof(TransferFault.BadSnapshot), "that hashes to")]
    [InlineData(nameof(TransferFault.BadBlocks), "hashResults does not match the results")]
    [InlineData(nameof(TransferFault.ForgedCertificates), "certificate that does not verify")]
    [InlineData(nameof(TransferFault.Silent), "sent nothing for 1 s")]
    [InlineData(nameof(TransferFault.Flood), "answers that nobody asked for")]
    [InlineData(nameof(TransferFault.EmptyProofs), "decision proof that does not decode")]
    [InlineData(nameof(TransferFault.MalformedProofs), "decision proof that does not decode")]
    [InlineData(nameof(TransferFault.ForgedProofs), "decision proof that does not verify")]
    public async Task A_Byzantine_source_is_dropped_with_the_reason_and_the_honest_ones_finish(string faultName, string reason)
    {
        TransferFault fault = Enum.Parse<TransferFault>(faultName);
        // Replica 0 is the first source replica 3 asks, for the tip, the checkpoint block and the snapshot.
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: Period,
            optionsOf: i => i == 0 ? ReplicaOptions.Default with { TransferFault = fault } : null);
        await net.StopAsync(3);
        await Minting.MintAsync(net, seed: 15, count: 40, seconds: 90);

        var log = new LogCapture();
        net.Loggers = log;
        await CatchUpAsync(net, QuickTransfer, expectSnapshot: true);

        IReadOnlyList<string> dropped = log.Containing("dropped replica 0 as a source");
        Assert.True(dropped.Count == 1, string.Join(Environment.NewLine, log.Lines.Where(l => l.Contains("transfer", StringComparison.Ordinal))));
        Assert.Contains(reason, dropped[0], StringComparison.Ordinal);
        Assert.Empty(log.Containing("dropped replica 1 as a source"));
        Assert.Empty(log.Containing("dropped replica 2 as a source"));
    }

    // Decision proofs are outside every hash: one a source stripped, once stored, would crash FETCH serving (the
    // ledger loop, and with it the replica) and recovery at the next start.
    [Fact]
    public async Task A_replica_that_transferred_from_a_source_of_stripped_proofs_serves_FETCH_and_keeps_ordering()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, checkpointPeriod: Period,
            optionsOf: i => i == 0 ? ReplicaOptions.Default with { TransferFault = TransferFault.EmptyProofs } : null);
        var log = new LogCapture();
        net.Loggers = log;
        await net.StopAsync(3);
        await Minting.MintAsync(net, seed: 17, count: 40, seconds: 90);
        long head = net.Hosts[0]!.CommittedHeight;
        ReplicaHost late = net.Start(3, QuickTransfer);
        await late.WaitForCertifiedAsync(head, Timeout());

        // Replica 2's identity is the test's now: it FETCHes every instance replica 3 holds.
        await net.StopAsync(2);
        ReplicaMember three = net.Genesis.InitialView.Members[3];
        await using (SecureLink link = await SecureLink.ConnectAsync(three.Host, three.Port, net.Chain, new LinkCredentials(2, net.ReplicaKeys[2]),
            new PeerIdentity(3, three.PublicKey), LinkOptions.Default, Timeout()))
        {
            for (long instance = 1; instance <= head; instance++)
            {
                await link.SendAsync(FrameType.Consensus, MessageCodec.Encode(new Fetch(0, instance, 0)), flush: true, Timeout());
            }
        }

        await net.StopAsync(1); // replica 3 is now one of the Q = 3 that must order
        net.Start(2);
        net.Start(1);
        await Minting.MintAsync(net, seed: 18, count: 3, seconds: 90);
        await late.WaitForCertifiedAsync(net.Hosts[0]!.CommittedHeight, Timeout());
        Assert.Empty(log.Containing("ledger loop failed"));
        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }

    // Restarts replica 3, waits for its transfer and for it to hold the others' head, runs more load, and checks
    // that all four ledgers verify from genesis and agree.
    private static async Task CatchUpAsync(InProcessNetwork net, ReplicaOptions options, bool expectSnapshot, TestApplication? app = null)
    {
        long head = net.Hosts[0]!.CommittedHeight;
        var log = net.Loggers as LogCapture ?? new LogCapture();
        net.Loggers = log;
        ReplicaHost late = net.Start(3, options);
        TransferResult result = await late.FirstTransfer.WaitAsync(Timeout());
        Assert.True(result.Blocks > 0, result.Summary + Environment.NewLine + net.Hosts[0]!.Status + " prefix " + net.Hosts[0]!.CertifiedPrefix + Environment.NewLine + string.Join(Environment.NewLine, log.Lines));
        if (expectSnapshot)
        {
            Assert.NotNull(result.Checkpoint);
            Assert.True(result.SnapshotBytes > 0, result.Summary);
            Assert.True(new SnapshotStore(net.DataDir(3), readOnly: true).Has(result.Checkpoint!.Value), "the verified snapshot became the replica's own");
        }
        else
        {
            Assert.Null(result.Checkpoint);
        }

        await late.WaitForCertifiedAsync(head, Timeout());

        // It orders again: new requests are decided with it among the replicas.
        await (app ?? TestApplication.Named(TestApplication.Coin)).WriteAsync(net, seed: 16, count: 5, Timeout());
        long after = net.Hosts[0]!.CommittedHeight;
        await late.WaitForCertifiedAsync(after, Timeout());
        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }
}
