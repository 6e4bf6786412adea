using SmartChain.Ledger;
using SmartChain.Ledger.Store;

namespace SmartChain.Api.Tests;

/// <summary>The API's read-only follower of a block store another writer appends to (real files, fsync by the writer).</summary>
public sealed class BlockStoreFollowTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "smartchain-follow-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_follower_reads_blocks_and_late_certificates_across_segments_and_never_a_half_written_record()
    {
        // Segments of 2 KiB: the writer rolls over every few blocks, so following crosses segment files.
        using BlockStore writer = BlockStore.Open(_folder, BlockStoreOptions.Default with { MaxSegmentBytes = 2048 });
        var blocks = new List<Block> { Block.Next(new BlockHeader(-1, 0, 0, default, default, default), 0, [new byte[] { 1 }], [new byte[] { 2 }], new byte[] { 3 }) };
        writer.Append(blocks[0]);
        writer.Commit();
        using BlockStore reader = BlockStore.OpenReadOnly(_folder);
        Assert.Equal(0, reader.Height);

        for (int n = 1; n <= 40; n++)
        {
            blocks.Add(Block.Next(blocks[^1].Header, n, [new byte[300], new byte[] { (byte)n }], [new byte[] { 0 }, new byte[] { 1 }], new byte[] { 9 }));
            writer.Append(blocks[^1]);
        }

        writer.Commit();
        Assert.True(Directory.GetFiles(Path.Combine(_folder, BlockStore.FolderName)).Length > 3, "the writer rolled over segments");
        Assert.Equal(40, reader.Follow());
        for (int n = 0; n <= 40; n++)
        {
            Assert.Equal(blocks[n].Hash, reader.Read(n).Hash);
        }

        var certificate = new BlockCertificate([(1, new byte[64])]);
        writer.AppendCertificate(7, certificate);
        writer.Commit();
        Assert.Null(reader.Read(7).Certificate);
        reader.Follow();
        Assert.Equal(1, reader.Read(7).Certificate!.Signatures[0].ReplicaId);

        // A record whose bytes are not all there yet (the writer's buffer reached the file in part) is not read.
        string last = Directory.GetFiles(Path.Combine(_folder, BlockStore.FolderName)).Order(StringComparer.Ordinal).Last();
        using (var file = new FileStream(last, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Write([5, 0, 0, 0, 0xAA, 0xBB, 0xCC, 0xDD, 1, 2, 3]); // length 5, a CRC, 3 of the 5 payload bytes
        }

        Assert.Equal(40, reader.Follow());
        Assert.Throws<InvalidOperationException>(() => writer.Follow());
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
