using SmartChain.Consensus;
using SmartChain.Core.IO;
using SmartChain.Ledger.Store;
using SmartChain.Node;

namespace SmartChain.Storage.Simulation;

/// <summary>
/// The faults the seeded runs found, each pinned as a direct case of the real block store or vote log over the
/// simulated disk (no randomness left: torn tails off, the flipped byte chosen).
/// </summary>
public sealed class StorageFaultTests
{
    private const string DataDir = "/sim/pinned";
    private readonly SimulatedDisk _disk = new(new Random(1)) { TearProbability = 0 };
    private readonly StorageChain _chain = StorageChain.Instance;
    private readonly List<string> _log = [];

    private BlockStore OpenStore() => BlockStore.Open(DataDir, BlockStoreOptions.Default with { Storage = _disk }, _log.Add);

    private void AppendBlocks(BlockStore store, int upTo, bool certified = true)
    {
        for (int n = (int)store.Height + 1; n <= upTo; n++)
        {
            store.Append(certified ? _chain.Blocks[n] with { Certificate = _chain.Certificates[n] } : _chain.Blocks[n]);
        }
    }

    // Bit rot: one bit of the stored file changes, as the medium (not one read) returns it from now on.
    private void Flip(string path, long offset)
    {
        byte[] bytes = _disk.Peek(path)!;
        using IStorageFile file = _disk.Open(path, StorageOpenMode.Write);
        file.Position = offset;
        file.Write([(byte)(bytes[offset] ^ 0x10)]);
        file.Sync();
    }

    [Fact]
    public void A_block_read_back_with_a_flipped_bit_is_refused_naming_its_block()
    {
        _disk.CreateDirectory(DataDir);
        using BlockStore store = OpenStore();
        AppendBlocks(store, 4);
        store.Commit();

        _disk.CorruptReadIn = 1;
        var e = Assert.Throws<LedgerCorruptException>(() => store.Read(2));
        Assert.Equal(2, e.BlockNumber);
        Assert.Contains("checksum", e.Reason, StringComparison.Ordinal);
        Assert.Equal(StorageChain.Encode(_chain.Blocks[2]), StorageChain.Encode(store.Read(2))); // the disk itself was fine
    }

    [Fact]
    public void Blocks_a_store_reads_back_after_a_process_crash_are_fsynced_before_it_calls_them_committed()
    {
        _disk.CreateDirectory(DataDir);
        using (BlockStore store = OpenStore())
        {
            AppendBlocks(store, 0);
            store.Commit();
            AppendBlocks(store, 3); // in the page cache only: the process dies before its group commit
        }

        _disk.CrashProcess();
        using (BlockStore reopened = OpenStore())
        {
            Assert.Equal((3L, 3L), (reopened.Height, reopened.CommittedHeight));
        }

        _disk.CrashPower();
        using BlockStore afterPowerCut = OpenStore();
        Assert.Equal(3, afterPowerCut.Height);
    }

    [Fact]
    public void A_segment_whose_folder_sync_failed_before_the_process_died_is_named_durably_when_the_store_reopens()
    {
        _disk.CreateDirectory(DataDir);
        _disk.FailSyncIn = 2; // 1: the data folder after creating blocks/; 2: blocks/ after creating the first segment
        Assert.Throws<IOException>(OpenStore);
        _disk.CrashProcess();

        using (BlockStore store = OpenStore())
        {
            AppendBlocks(store, 1);
            store.Commit();
        }

        _disk.CrashPower();
        using BlockStore afterPowerCut = OpenStore();
        Assert.Equal(1, afterPowerCut.Height);
    }

    [Fact]
    public void A_torn_tail_that_reads_differently_twice_is_refused_not_truncated()
    {
        _disk.CreateDirectory(DataDir);
        using (BlockStore store = OpenStore())
        {
            AppendBlocks(store, 3, certified: false);
            store.Commit();
        }

        // The first read of the segment returns the last record with a flipped bit: alone, a torn last record.
        string segment = DataDir + "/blocks/segment-000000.log";
        long lastRecordPayload = _disk.Peek(segment)!.Length - 3;
        _disk.CorruptReadAt = (segment, lastRecordPayload);
        var e = Assert.Throws<LedgerCorruptException>(OpenStore);
        Assert.Equal(3, e.BlockNumber);

        using BlockStore reopened = OpenStore();
        Assert.Equal(3, reopened.Height); // nothing was truncated
    }

    [Fact]
    public void A_vote_record_with_a_flipped_bit_before_the_last_is_refused_not_dropped_as_a_torn_tail()
    {
        _disk.CreateDirectory(DataDir);
        string path = DataDir + "/" + VoteLog.FileName;
        using (VoteLog votes = VoteLog.Open(path, 0, out _, _log.Add, _disk))
        {
            votes.Append(_chain.Votes[1]);
            votes.Append(_chain.Votes[2]);
        }

        Flip(path, 12); // inside the first record's body
        var e = Assert.Throws<InvalidDataException>(() => VoteLog.Open(path, 0, out _, _log.Add, _disk));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("offset 0", e.Message, StringComparison.Ordinal);
        Assert.Equal(4, Votes(path).Count); // the log was not rewritten without them
    }

    private List<VoteRecord> Votes(string path)
    {
        _disk.CorruptReadIn = 0;
        byte[] bytes = _disk.Peek(path)!;
        var votes = new List<VoteRecord>();
        for (int at = 0; at < bytes.Length;)
        {
            int length = BitConverter.ToInt32(bytes, at);
            votes.Add(VoteRecordCodec.Read(bytes.AsSpan(at + 8, length)));
            at += 8 + length;
        }

        return votes;
    }
}
