using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;
using SmartChain.Reconfiguration.State;
using SmartChain.TestSupport;

namespace SmartChain.Ledger.Tests;

/// <summary>
/// Checkpoint blocks in the chain (SPEC §4.4): checkpoint block c records the snapshot of the state after block
/// c − P; the verifier re-takes it and compares; the fast audit starts from a snapshot that matches a certified record.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private const long Period = 4;
    private const long Window = 3;
    private readonly LedgerFixture _f = new();
    private readonly GenesisDocument _genesis;

    // Clients take turns, so with a window of 3 instances rows expire between checkpoints, and a snapshot holds rows of
    // different ages: restoring one must expire them exactly as the replay from genesis does.
    private readonly Ed25519KeyPair[] _clients = [.. Enumerable.Range(0, 5).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(78 + i), 32).ToArray()))];

    public CheckpointTests() =>
        _genesis = new GenesisDocument(LedgerFixture.Chain, PersistenceMode.Strong, _f.View, ConsensusParameters.Default with { RequestWindow = Window }, Period, []);

    public void Dispose()
    {
        foreach (Ed25519KeyPair client in _clients)
        {
            client.Dispose();
        }

        _f.Dispose();
    }

    /// <summary>
    /// Writes a ledger of <paramref name="blocks"/> blocks (checkpoints included) with the snapshot files a replica keeps;
    /// <paramref name="tamper"/> may change a block before it is certified.
    /// </summary>
    private string Build(int blocks, Func<Block, Block>? tamper = null)
    {
        string dataDir = Path.Combine(_f.Folder, Guid.NewGuid().ToString("N"));
        var snapshots = new SnapshotStore(dataDir);
        using BlockStore store = BlockStore.Open(dataDir);
        var app = new DigestApplication();
        var clients = new ClientTable(Window);
        Block previous = Block.Genesis(_genesis);
        store.Append(previous);
        (byte[] pending, Hash256 pendingHash) = ReplicaSnapshot.Take(0, 0, clients.Entries, ReconfigurationState.FromGenesis(_genesis).Encode(), app.WriteSnapshot);
        long pendingBlock = 0;
        long instance = 0;
        ulong sequence = 1;
        for (long n = 1; n <= blocks; n++)
        {
            Block block;
            if (CheckpointBlock.IsCheckpoint(n, Period))
            {
                block = CheckpointBlock.Build(previous.Header, instance, new CheckpointRecord(pendingBlock, pendingHash, pending.Length)).Block;
            }
            else
            {
                instance++;
                Ed25519KeyPair client = _clients[instance % _clients.Length];
                SignedRequest[] requests = [.. Enumerable.Range(0, 2).Select(_ => SignedRequest.Create(LedgerFixture.Chain, client, sequence++, instance - 1, [(byte)n]))];
                ReadOnlyMemory<byte>[] results = [.. app.ExecuteBatch(new(n, instance), requests).Select(r => (ReadOnlyMemory<byte>)r)];
                Assert.Equal([true, true], clients.Record(requests, instance));
                block = Block.Next(previous.Header, instance, [.. requests.Select(r => r.Encoded)], results, ReadOnlyMemory<byte>.Empty);
            }

            block = tamper?.Invoke(block) ?? block;
            block = block with { Certificate = _f.Certify(block) };
            store.Append(block);
            previous = block;
            if (CheckpointBlock.IsCheckpoint(n, Period))
            {
                (pending, pendingHash) = ReplicaSnapshot.Take(n, instance, clients.Entries, ReconfigurationState.FromGenesis(_genesis).Encode(), app.WriteSnapshot);
                pendingBlock = n;
                snapshots.Write(n, pending);
            }
        }

        store.Commit();
        return dataDir;
    }

    private VerifyReport Verify(string dataDir, bool fromCheckpoint = false)
    {
        using BlockStore store = BlockStore.OpenReadOnly(dataDir);
        return fromCheckpoint
            ? LedgerVerifier.VerifyFromCheckpoint(store, _genesis, new DigestApplication(), new SnapshotStore(dataDir, readOnly: true))
            : LedgerVerifier.Verify(store, _genesis, new DigestApplication());
    }

    [Fact]
    public void A_ledger_with_checkpoint_blocks_verifies_from_genesis_and_from_its_newest_snapshot_to_the_same_state()
    {
        string dataDir = Build(14);
        VerifyReport full = Verify(dataDir);
        VerifyReport fast = Verify(dataDir, fromCheckpoint: true);
        Assert.True(full.Passed, full.ToString());
        Assert.True(fast.Passed, fast.ToString() + " from " + fast.FromCheckpoint);
        Assert.Null(full.FromCheckpoint);

        // Snapshots of blocks 4, 8 and 12 were written; 12 is recorded by block 16, which does not exist yet.
        Assert.Equal(8, fast.FromCheckpoint);
        Assert.Equal((15L, full.HeadHash, full.StateHash), (fast.Blocks, fast.HeadHash, fast.StateHash));
        Assert.True(fast.Transactions < full.Transactions);
    }

    [Fact]
    public void A_checkpoint_record_that_re_execution_does_not_reproduce_is_reported_at_its_block()
    {
        string dataDir = Build(10, b => b.Header.Number == 8 ? Rerecord(b, r => r with { SnapshotHash = Hash256.Compute([1, 2, 3]) }) : b);
        VerifyReport report = Verify(dataDir);
        Assert.Equal(8, report.FirstBadBlock);
        Assert.Contains("does not match the checkpoint", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_that_names_another_block_is_reported()
    {
        string dataDir = Build(6, b => b.Header.Number == 4 ? Rerecord(b, r => r with { SnapshotBlock = 3 }) : b);
        VerifyReport report = Verify(dataDir);
        Assert.Equal(4, report.FirstBadBlock);
        Assert.Contains("checkpoint block 4 records the state after block 0", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_decision_where_a_checkpoint_block_belongs_is_reported()
    {
        string dataDir = Build(6, b => b.Header.Number == 4
            ? Block.Next(new BlockHeader(3, 0, 0, default, default, b.Header.HashLastBlock), b.Body.ConsensusId, [new byte[] { 1 }], [new byte[] { 2 }], ReadOnlyMemory<byte>.Empty) with { Header = b.Header with { HashTransactions = BlockMerkle.Root([new byte[] { 1 }]), HashResults = BlockMerkle.Root([new byte[] { 2 }]), LastCheckpoint = 4 } }
            : b);
        VerifyReport report = Verify(dataDir);
        Assert.Equal(4, report.FirstBadBlock);
        Assert.Contains("checkpoint", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_fast_audit_skips_a_snapshot_file_that_does_not_match_its_record_and_says_why_when_none_does()
    {
        string dataDir = Build(14);
        string newest = new SnapshotStore(dataDir).PathOf(8);
        byte[] bytes = File.ReadAllBytes(newest);
        bytes[^1] ^= 1;
        File.WriteAllBytes(newest, bytes);

        VerifyReport older = Verify(dataDir, fromCheckpoint: true);
        Assert.True(older.Passed, older.ToString());
        Assert.Equal(4, older.FromCheckpoint);

        File.Delete(new SnapshotStore(dataDir).PathOf(4));
        VerifyReport none = Verify(dataDir, fromCheckpoint: true);
        Assert.False(none.Passed);
        Assert.Contains("8: the snapshot hashes to", none.Failure, StringComparison.Ordinal);
        Assert.Contains("verify from genesis instead", none.Failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x53, 0x43, 0x43, 0x50 })]
    public void Bytes_that_are_not_a_checkpoint_record_are_refused_with_a_reason(byte[] bytes)
    {
        Assert.False(CheckpointRecord.TryDecode(bytes, out _, out string? error));
        Assert.Contains("not a checkpoint record", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_round_trips_and_a_snapshot_is_checked_by_hash_and_size()
    {
        byte[] snapshot = [1, 2, 3, 4];
        var record = new CheckpointRecord(8, Hash256.Compute(snapshot), snapshot.Length);
        Assert.True(CheckpointRecord.TryDecode(record.Encode(), out CheckpointRecord? decoded, out _));
        Assert.Equal(record, decoded);
        Assert.Null(CheckpointBlock.CheckSnapshot(record, snapshot));
        Assert.Contains("has 3 bytes", CheckpointBlock.CheckSnapshot(record, snapshot.AsSpan(0, 3)), StringComparison.Ordinal);
        Assert.Contains("hashes to", CheckpointBlock.CheckSnapshot(record, [1, 2, 3, 5]), StringComparison.Ordinal);
    }

    [Fact]
    public void The_snapshot_folder_keeps_the_newest_two_at_least_and_never_a_half_written_file()
    {
        string dataDir = Path.Combine(_f.Folder, "prune");
        var store = new SnapshotStore(dataDir);
        foreach (long n in (long[])[4, 8, 12, 16])
        {
            store.Write(n, [(byte)n]);
        }

        File.WriteAllBytes(store.PathOf(20) + ".tmp", [1]);
        store.Prune(retain: 1);
        Assert.Equal([16L, 12L], store.Available());
        Assert.Equal([16], store.Read(16));
        _ = new SnapshotStore(dataDir);
        Assert.False(File.Exists(store.PathOf(20) + ".tmp"));
    }

    [Fact]
    public void A_snapshot_streamed_to_its_file_has_the_bytes_and_hash_of_the_one_taken_whole()
    {
        // Over 64 KiB of client rows and an application part written as one 200 KiB field: several staging-buffer
        // flushes, and one write larger than the staging buffer.
        ClientEntry[] clients = [.. Enumerable.Range(0, 3_000).Select(i => new ClientEntry(Ed25519KeyPair.FromSeed(Hash256.Compute(BitConverter.GetBytes(i)).ToArray()).PublicKey, (ulong)i, i))];
        byte[] application = [.. Enumerable.Range(0, 200 * 1024).Select(i => (byte)(i * 31))];
        void WriteApplication(System.Buffers.IBufferWriter<byte> output)
        {
            application.CopyTo(output.GetSpan(application.Length));
            output.Advance(application.Length);
        }

        (byte[] whole, Hash256 wholeHash) = ReplicaSnapshot.Take(40, 41, clients, [7, 7], WriteApplication);
        var store = new SnapshotStore(Path.Combine(_f.Folder, "streamed"));
        (Hash256 hash, long size) = store.Write(40, output => ReplicaSnapshot.Write(output, 40, 41, clients, [7, 7], WriteApplication));

        Assert.Equal((wholeHash, (long)whole.Length), (hash, size));
        Assert.Equal(whole, store.Read(40));
        Assert.False(File.Exists(store.PathOf(40) + ".tmp"));
    }

    private static Block Rerecord(Block block, Func<CheckpointRecord, CheckpointRecord> change)
    {
        CheckpointBlock.Check(block, Period, out CheckpointRecord? record);
        BuiltBlock rebuilt = CheckpointBlock.Build(new BlockHeader(block.Header.Number - 1, 0, block.Header.Number - Period, default, default, default), block.Body.ConsensusId, change(record!));
        var entries = rebuilt.Block.Body.Entries;
        return block with
        {
            Header = block.Header with { HashTransactions = BlockMerkle.Root(entries) },
            Body = block.Body with { Entries = entries },
        };
    }
}
