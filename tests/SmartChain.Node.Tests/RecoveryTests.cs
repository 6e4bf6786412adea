using System.Buffers.Binary;
using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>Replicas restarted on their own data folders: state rebuilt from the ledger, ordering resumed.</summary>
public class RecoveryTests
{
    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Theory]
    [InlineData(PersistenceMode.Weak, TestApplication.Coin)]
    [InlineData(PersistenceMode.Strong, TestApplication.Coin)]
    [InlineData(PersistenceMode.Strong, TestApplication.Register)]
    public async Task A_whole_network_restarted_from_its_ledgers_keeps_its_state_and_goes_on(PersistenceMode mode, string application)
    {
        TestApplication app = TestApplication.Named(application);
        await using var net = new InProcessNetwork(persistence: mode, application: app.Factory);
        using Ed25519KeyPair alice = TestApplication.Key(5);
        Func<SignedRequest> write = app.Writer(net, alice);
        SignedRequest firstWrite;
        ReplyMessage firstReply;
        await using (ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout()))
        {
            firstWrite = write();
            firstReply = await client.SubmitAsync(firstWrite, Timeout());
            for (int i = 0; i < 5; i++)
            {
                Assert.Equal(ReplyStatus.Executed, (await client.SubmitAsync(write(), Timeout())).Status);
            }
        }

        await net.StopAsync();
        for (int i = 0; i < 4; i++)
        {
            net.Start(i);
        }

        await using (ChainClient client = await ChainClient.ConnectAsync(net.Genesis, alice, null, Timeout()))
        {
            Assert.Equal(6UL, await app.WritesAsync(client, alice.PublicKey, Timeout()));

            // The reply cache was rebuilt from the ledger: the first request again gets its first answer, not a new execution.
            ReplyMessage again = await client.SubmitAsync(firstWrite, Timeout());
            Assert.Equal((ReplyStatus.Duplicate, firstReply.Instance, firstReply.Block), (again.Status, again.Instance, again.Block));

            ReplyMessage next = await client.SubmitAsync(write(), Timeout());
            Assert.Equal(ReplyStatus.Executed, next.Status);
            app.AssertApplied(next);
            Assert.True(next.Block > firstReply.Block + 5, $"block {next.Block} continues the chain");
        }

        await net.SettleAsync(Timeout());
        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }

    [Theory]
    [MemberData(nameof(TestApplication.Names), MemberType = typeof(TestApplication))]
    public async Task A_replica_restarted_behind_the_others_catches_up_and_holds_the_same_ledger(string application)
    {
        TestApplication app = TestApplication.Named(application);
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak, application: app.Factory);
        await net.StopAsync(3);
        await app.WriteAsync(net, seed: 6, count: 4, Timeout());

        ReplicaHost late = net.Start(3);
        long head = net.Hosts[0]!.CommittedHeight;
        await late.WaitForCertifiedAsync(head, Timeout());
        await net.StopAsync();
        Assert.Single(Enumerable.Range(0, 4).Select(i => LedgerHeight(net.DataDir(i))).Distinct());
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }

    [Theory]
    [MemberData(nameof(TestApplication.Names), MemberType = typeof(TestApplication))]
    public async Task A_restart_after_several_checkpoints_replays_only_the_blocks_after_the_newest_usable_snapshot(string application)
    {
        TestApplication app = TestApplication.Named(application);
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Strong, checkpointPeriod: 10, application: app.Factory);
        await app.WriteAsync(net, seed: 8, count: 40, Timeout()); // blocks 1..44, checkpoint blocks 10..40
        long head = net.Hosts.Min(h => h!.CommittedHeight);
        foreach (ReplicaHost? host in net.Hosts)
        {
            await host!.WaitForCertifiedAsync(head, Timeout());
        }

        await net.StopAsync();

        // Replica 1's newest usable snapshot (block 30, recorded by checkpoint block 40) is damaged: it falls back to 20.
        string damaged = new SnapshotStore(net.DataDir(1), readOnly: true).PathOf(30);
        byte[] bytes = File.ReadAllBytes(damaged);
        bytes[^1] ^= 1;
        File.WriteAllBytes(damaged, bytes);

        var log = new LogCapture();
        net.Loggers = log;
        for (int i = 0; i < 4; i++)
        {
            net.Start(i);
        }

        Assert.Single(log.Containing("replica0: recovering from the snapshot of the state after block 30"));
        Assert.Single(log.Containing("replica1: not using the snapshot of block 30: the snapshot hashes to"));
        Assert.Single(log.Containing("replica1: recovering from the snapshot of the state after block 20"));
        // Blocks 31..44 hold 13 writes (checkpoint block 40 holds none); replica 1 also replays 21..29.
        Assert.Single(log.Containing("replica 0 recovered from its ledger: 45 blocks, replayed from the snapshot of block 30: 13 transactions re-executed"));
        Assert.Single(log.Containing("replica 1 recovered from its ledger: 45 blocks, replayed from the snapshot of block 20: 22 transactions re-executed"));

        await app.WriteAsync(net, seed: 9, count: 3, Timeout());
        await net.StopAsync();
        ReplicaHostTests.AssertVerifiedLedgers(net);
    }

    [Fact]
    public async Task A_tail_whose_certificates_were_lost_is_certified_again_after_a_restart()
    {
        await using var net = new InProcessNetwork(persistence: PersistenceMode.Weak);
        await Minting.MintAsync(net, seed: 7, count: 3);

        // The highest block any replica has committed: every replica commits and certifies it in time (the MINTs were
        // answered by a quorum, not by all), so all four ledgers end at the same block before the crash.
        long head = await net.SettleAsync(Timeout());
        await net.StopAsync();

        // As if every replica crashed after fsyncing its last block but before any certificate of it was written.
        for (int i = 0; i < 4; i++)
        {
            DropCertificatesAfterLastBlock(net.DataDir(i));
            using BlockStore store = BlockStore.OpenReadOnly(net.DataDir(i));
            Assert.Equal(head, store.Height);
            Assert.Null(store.Read(store.Height).Certificate);
        }

        for (int i = 0; i < 4; i++)
        {
            net.Start(i);
        }

        foreach (ReplicaHost? host in net.Hosts)
        {
            await host!.WaitForCertifiedAsync(head, Timeout());
        }

        await net.StopAsync();
        for (int i = 0; i < 4; i++)
        {
            using BlockStore store = BlockStore.OpenReadOnly(net.DataDir(i));
            Assert.NotNull(store.Read(store.Height).Certificate);
        }

        ReplicaHostTests.AssertVerifiedLedgers(net);
    }

    [Fact]
    public async Task A_replica_refuses_to_start_on_a_corrupt_ledger_and_says_where()
    {
        await using var net = new InProcessNetwork();
        await Minting.MintAsync(net, seed: 8, count: 3);

        await net.StopAsync();
        string segment = Path.Combine(net.DataDir(2), BlockStore.FolderName, "segment-000000.log");
        byte[] bytes = await File.ReadAllBytesAsync(segment);
        (long offset, int length) = Records(bytes).First(r => r.Kind == 1 && r.Index > 0).Location; // block 1
        bytes[(int)offset + 8 + (length / 2)] ^= 0x40;
        await File.WriteAllBytesAsync(segment, bytes);

        LedgerCorruptException e = Assert.Throws<LedgerCorruptException>(() => net.Start(2));
        Assert.Equal(1, e.BlockNumber);
        Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(segment)); // reported, never repaired
    }

    // Some MINTs, each awaited, so every one is decided before the next goes out.

    private static long LedgerHeight(string dataDir)
    {
        using BlockStore store = BlockStore.OpenReadOnly(dataDir);
        return store.Height;
    }

    private static void DropCertificatesAfterLastBlock(string dataDir)
    {
        string segment = Directory.GetFiles(Path.Combine(dataDir, BlockStore.FolderName)).Order(StringComparer.Ordinal).Last();
        byte[] bytes = File.ReadAllBytes(segment);
        (long offset, int length) = Records(bytes).Last(r => r.Kind == 1).Location;
        using var stream = new FileStream(segment, FileMode.Open, FileAccess.Write);
        stream.SetLength(offset + 8 + length);
    }

    // The documented record layout: u32 length · u32 CRC-32 · payload, whose first byte is the kind (1 block, 2 certificate).
    private static IEnumerable<(int Index, byte Kind, (long Offset, int Length) Location)> Records(byte[] bytes)
    {
        int index = 0;
        for (long at = 0; at < bytes.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)at));
            yield return (index++, bytes[at + 8], (at, length));
            at += 8 + length;
        }
    }
}
