using SmartChain.Ledger.Store;

namespace SmartChain.Ledger.Tests;

/// <summary>
/// Damage that looks like a torn tail at first sight (a bad length) but has committed records behind it: refused with
/// the block number, never truncated away (found by a second reader of the storage simulation's fixes).
/// </summary>
public sealed class BlockStoreDamageTests : IDisposable
{
    private readonly LedgerFixture _f = new();
    private readonly List<string> _log = [];

    public void Dispose() => _f.Dispose();

    private string Segment => Path.Combine(_f.Folder, BlockStore.FolderName, "segment-000000.log");

    private byte[] WriteSix()
    {
        using (BlockStore store = BlockStore.Open(_f.Folder, null, _log.Add))
        {
            foreach (Block block in _f.Chainof(6))
            {
                store.Append(block);
            }

            store.Commit();
        }

        return File.ReadAllBytes(Segment);
    }

    [Theory]
    [InlineData("high bit of the first length")]
    [InlineData("first header zeroed")]
    public void A_bad_length_with_whole_records_behind_it_is_refused_not_truncated(string damage)
    {
        byte[] bytes = WriteSix();
        if (damage.StartsWith("high", StringComparison.Ordinal))
        {
            bytes[3] ^= 0x40; // the length now claims about 1 GiB, more than the file holds
        }
        else
        {
            Array.Clear(bytes, 0, 8);
        }

        File.WriteAllBytes(Segment, bytes);

        var e = Assert.Throws<LedgerCorruptException>(() => BlockStore.Open(_f.Folder, null, _log.Add));
        Assert.Equal(0, e.BlockNumber);
        Assert.Contains("not a torn tail", e.Reason, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(Segment)); // nothing cut
        Assert.DoesNotContain(_log, l => l.Contains("truncated", StringComparison.Ordinal));
    }

    [Fact]
    public void A_certificate_record_too_short_for_its_block_number_is_a_clear_error_naming_the_block()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Segment)!);
        File.WriteAllBytes(Segment, BlockStore.Record([2, 0]));

        var e = Assert.Throws<LedgerCorruptException>(() => BlockStore.Open(_f.Folder, null, _log.Add));
        Assert.Equal(0, e.BlockNumber);
        Assert.Contains("certificate record of 2 bytes", e.Reason, StringComparison.Ordinal);
    }
}
