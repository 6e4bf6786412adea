using SmartChain.Ledger.Store;

namespace SmartChain.Ledger.Tests;

public sealed class BlockStoreTests : IDisposable
{
    private readonly LedgerFixture _f = new();
    private readonly List<string> _log = [];

    public void Dispose() => _f.Dispose();

    private BlockStore Open(BlockStoreOptions? options = null) => BlockStore.Open(_f.Folder, options, _log.Add);

    private string Segment(int i = 0) => Path.Combine(_f.Folder, BlockStore.FolderName, $"segment-{i:D6}.log");

    private void Write(IEnumerable<Block> blocks, int commitEvery = 1)
    {
        using BlockStore store = Open();
        int n = 0;
        foreach (Block block in blocks)
        {
            store.Append(block);
            if (++n % commitEvery == 0)
            {
                store.Commit();
            }
        }

        store.Commit();
    }

    [Fact]
    public void One_fsync_commits_every_block_appended_since_the_last()
    {
        List<Block> chain = _f.Chainof(104);
        using BlockStore store = Open();
        for (int n = 0; n < chain.Count; n++)
        {
            store.Append(chain[n]);
            if (n % 10 == 9)
            {
                Assert.Equal(10, store.Commit());
            }
        }

        Assert.Equal(104, store.Height);
        Assert.Equal(99, store.CommittedHeight);
        Assert.Equal(10, store.Fsyncs);
        Assert.Equal(100, store.BlocksCommitted);
    }

    [Fact]
    public void Blocks_encoded_through_the_pooled_buffer_read_back_byte_for_byte_when_a_small_block_follows_a_large_one()
    {
        // A block is encoded into an array rented from the pool, larger than it and holding the previous block's
        // bytes: only its own bytes may reach the file.
        var chain = new List<Block> { Block.Genesis(_f.Genesis) };
        for (int n = 1; n <= 12; n++)
        {
            int entries = n % 3 == 1 ? 60 : 1;
            ReadOnlyMemory<byte>[] bodies = [.. Enumerable.Range(0, entries).Select(j => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(new string((char)('a' + (j % 26)), 100 + n)))];
            ReadOnlyMemory<byte>[] results = [.. Enumerable.Range(0, entries).Select(j => (ReadOnlyMemory<byte>)new byte[] { (byte)n, (byte)j })];
            Block block = Block.Next(chain[^1].Header, n, bodies, results, new byte[] { 9, 9 });
            chain.Add(block with { Certificate = _f.Certify(block) });
        }

        Write(chain);
        using BlockStore store = Open();
        for (int n = 0; n < chain.Count; n++)
        {
            Assert.Equal(BlockStore.BlockPayload(chain[n]), BlockStore.BlockPayload(store.Read(n) with { Certificate = chain[n].Certificate }));
        }

        Assert.Empty(_log);
    }

    [Fact]
    public void Blocks_and_certificates_read_back_after_reopening()
    {
        List<Block> chain = _f.Chainof(20);
        Write(chain, commitEvery: 7);

        using BlockStore store = Open();
        Assert.Equal(20, store.Height);
        Assert.Equal(chain[^1].Header, store.Head);
        Block read = store.Read(13);
        Assert.Equal(chain[13].Hash, read.Hash);
        Assert.Equal(chain[13].Body.Entries.Select(e => e.ToArray()), read.Body.Entries.Select(e => e.ToArray()));
        Assert.Null(read.Certificate!.Verify(_f.View, LedgerFixture.Chain, read.Hash));
        Assert.Null(store.Read(0).Certificate);
        Assert.Empty(_log);
    }

    [Fact]
    public void A_certificate_completed_later_is_found_with_its_block()
    {
        List<Block> chain = _f.Chainof(3);
        using (BlockStore store = Open())
        {
            store.Append(chain[0]);
            store.Append(chain[1] with { Certificate = null });
            store.Commit();
            Assert.Null(store.Read(1).Certificate);
            store.Append(chain[2]);
            store.AppendCertificate(1, chain[1].Certificate!);
            store.Commit();
        }

        using BlockStore reopened = Open();
        Assert.NotNull(reopened.Read(1).Certificate);
    }

    [Theory]
    [InlineData(3)]    // less than a record header
    [InlineData(40)]   // a record header announcing more than is there
    public void A_torn_tail_is_truncated_and_reported(int tornBytes)
    {
        List<Block> chain = _f.Chainof(5);
        Write(chain);
        byte[] next = BlockStore.Record(BlockStore.BlockPayload(_f.Chainof(6)[6]));
        using (var segment = new FileStream(Segment(), FileMode.Append))
        {
            segment.Write(next, 0, tornBytes);
        }

        using BlockStore store = Open();
        Assert.Equal(5, store.Height);
        Assert.Contains(_log, l => l.Contains("truncated a torn tail", StringComparison.Ordinal) && l.Contains("ends at block 5", StringComparison.Ordinal));
        store.Append(_f.Chainof(6)[6]);
        store.Commit();
    }

    [Theory]
    [InlineData(8)]    // a zero record header: length 0 with the CRC-32 of nothing, which is 0
    [InlineData(4096)] // a whole zero page, as a crash after the file grew and before the data landed leaves it
    public void A_zero_filled_tail_is_a_torn_record_and_is_truncated(int zeros)
    {
        Write(_f.Chainof(3));
        long length = new FileInfo(Segment()).Length;
        using (var segment = new FileStream(Segment(), FileMode.Append))
        {
            segment.Write(new byte[zeros]);
        }

        using BlockStore store = Open();
        Assert.Equal(3, store.Height);
        Assert.Equal(length, new FileInfo(Segment()).Length);
        Assert.Contains(_log, l => l.Contains("truncated a torn tail", StringComparison.Ordinal) && l.Contains("zero", StringComparison.Ordinal));
        store.Append(_f.Chainof(4)[4]);
        store.Commit();
    }

    [Fact]
    public void A_last_record_with_a_bad_checksum_counts_as_torn()
    {
        Write(_f.Chainof(4));
        byte[] bytes = File.ReadAllBytes(Segment());
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(Segment(), bytes);

        // The last record is block 4's certificate: the block stays, the torn certificate goes.
        using BlockStore store = Open();
        Assert.Equal(4, store.Height);
        Assert.Null(store.Read(4).Certificate);
        Assert.NotNull(store.Read(3).Certificate);
        Assert.Contains(_log, l => l.Contains("checksum does not match", StringComparison.Ordinal));
    }

    [Fact]
    public void A_changed_byte_before_the_tail_stops_the_store_with_the_block_number()
    {
        List<Block> chain = _f.Chainof(6);
        Write(chain);
        byte[] bytes = File.ReadAllBytes(Segment());
        long offsetOfBlock2 = BlockStore.Record(BlockStore.BlockPayload(chain[0])).Length + BlockStore.Record(BlockStore.BlockPayload(chain[1])).Length +
            BlockStore.Record(CertificatePayload(1, chain[1])).Length;
        bytes[offsetOfBlock2 + 20] ^= 1;
        File.WriteAllBytes(Segment(), bytes);

        var e = Assert.Throws<LedgerCorruptException>(() => Open());
        Assert.Equal(2, e.BlockNumber);
        Assert.Contains("checksum mismatch", e.Reason, StringComparison.Ordinal);
        Assert.Contains("segment-000000.log", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_link_stops_the_store()
    {
        List<Block> chain = _f.Chainof(2);
        Block foreign = _f.Chainof(3, salt: "other ")[3];
        byte[] bytes = [.. chain.SelectMany(b => BlockStore.Record(BlockStore.BlockPayload(b))), .. BlockStore.Record(BlockStore.BlockPayload(foreign))];
        Directory.CreateDirectory(Path.GetDirectoryName(Segment())!);
        File.WriteAllBytes(Segment(), bytes);

        var e = Assert.Throws<LedgerCorruptException>(() => Open());
        Assert.Equal(3, e.BlockNumber);
        Assert.Contains("hashLastBlock does not match the hash of block 2", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Swapped_or_missing_blocks_stop_the_store()
    {
        List<Block> chain = _f.Chainof(4);
        Directory.CreateDirectory(Path.GetDirectoryName(Segment())!);
        File.WriteAllBytes(Segment(), [.. new[] { 0, 1, 3, 2 }.SelectMany(n => BlockStore.Record(BlockStore.BlockPayload(chain[n])))]);
        var swapped = Assert.Throws<LedgerCorruptException>(() => Open());
        Assert.Equal((2L, "found block 3 where block 2 belongs"), (swapped.BlockNumber, swapped.Reason));

        File.WriteAllBytes(Segment(), [.. new[] { 0, 1, 3 }.SelectMany(n => BlockStore.Record(BlockStore.BlockPayload(chain[n])))]);
        Assert.Equal(2, Assert.Throws<LedgerCorruptException>(() => Open()).BlockNumber);
    }

    [Fact]
    public void Segments_roll_over_and_read_back_in_order()
    {
        List<Block> chain = _f.Chainof(40);
        var small = new BlockStoreOptions { MaxSegmentBytes = 2048 };
        using (BlockStore store = Open(small))
        {
            foreach (Block block in chain)
            {
                store.Append(block);
            }

            store.Commit();
        }

        Assert.True(Directory.GetFiles(Path.GetDirectoryName(Segment())!).Length > 3);
        using BlockStore reopened = Open(small);
        Assert.Equal(40, reopened.Height);
        Assert.Equal(chain[33].Hash, reopened.Read(33).Hash);

        File.Delete(Segment(1));
        Assert.Contains("not numbered", Assert.Throws<LedgerCorruptException>(() => Open(small)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_next_linked_block_can_be_appended()
    {
        List<Block> chain = _f.Chainof(2);
        using BlockStore store = Open();
        store.Append(chain[0]);
        Assert.Throws<ArgumentException>(() => store.Append(chain[2]));
        Assert.Throws<ArgumentException>(() => store.Append(_f.Chainof(1, salt: "x")[1] with { Header = chain[1].Header with { HashLastBlock = default } }));
    }

    private static byte[] CertificatePayload(long number, Block block) =>
        SmartChain.Core.Encoding.CanonicalEncoding.ToArray((number, block.Certificate!), static (ref SmartChain.Core.Encoding.CanonicalWriter w, (long N, BlockCertificate C) c) =>
        {
            w.WriteUInt8(2);
            w.WriteInt64(c.N);
            c.C.WriteTo(ref w);
        });
}
