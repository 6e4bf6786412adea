using System.Buffers.Binary;
using System.IO.Hashing;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Node.Tests;

/// <summary>The vote log's reader against what a crash or a damaged disk leaves at its end (issue 14, point 8).</summary>
public sealed class VoteLogTornTailTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartchain-votelog-").FullName;
    private readonly List<string> _log = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteOneVote()
    {
        string path = Path.Combine(_dir, VoteLog.FileName);
        using VoteLog votes = VoteLog.Open(path, 0, out _, _log.Add);
        votes.Append([new VoteRecord(MessageType.Write, 5, 0, Hash256.Compute("batch"u8))]);
        return path;
    }

    [Theory]
    [InlineData(8)]    // a zero record header: length 0 with the CRC-32 of nothing, which is 0
    [InlineData(4096)] // a whole zero page, as a crash after the file grew and before the data landed leaves it
    public void A_zero_filled_tail_is_a_torn_record_and_the_votes_before_it_are_kept(int zeros)
    {
        string path = WriteOneVote();
        using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(new byte[zeros]);
        }

        using VoteLog reopened = VoteLog.Open(path, 0, out IReadOnlyList<VoteRecord> undecided, _log.Add);
        VoteRecord vote = Assert.Single(undecided);
        Assert.Equal((MessageType.Write, 5L), (vote.Kind, vote.Instance));
        Assert.Contains(_log, l => l.Contains("torn", StringComparison.Ordinal) && l.Contains($"{zeros} bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Opening_the_log_syncs_its_folder_after_the_rename_that_compacts_it()
    {
        var synced = new List<string>();
        void Record(string folder)
        {
            if (folder == _dir)
            {
                lock (synced)
                {
                    synced.Add(folder);
                }
            }
        }

        Core.IO.DurableDirectory.Synced += Record;
        try
        {
            WriteOneVote();
            Assert.Single(synced);
        }
        finally
        {
            Core.IO.DurableDirectory.Synced -= Record;
        }
    }

    [Fact]
    public void A_record_whose_checksum_holds_but_does_not_decode_is_reported_as_a_damaged_log()
    {
        string path = WriteOneVote();
        byte[] payload = [1, 2, 3];
        byte[] record = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(payload));
        payload.CopyTo(record, 8);
        using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(record);
        }

        var e = Assert.Throws<InvalidDataException>(() => VoteLog.Open(path, 0, out _, _log.Add));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    // A damaged header (here zeroed) looks like the start of a zero-filled tail, but fsynced votes follow it: dropping
    // and rewriting them away would let the replica vote differently in an instance it already voted in.
    [Fact]
    public void A_zeroed_header_before_fsynced_votes_is_damage_and_drops_nothing()
    {
        string path = Path.Combine(_dir, VoteLog.FileName);
        using (VoteLog votes = VoteLog.Open(path, 0, out _, _log.Add))
        {
            votes.Append([new VoteRecord(MessageType.Write, 5, 0, Hash256.Compute("a"u8))]);
            votes.Append([new VoteRecord(MessageType.Write, 6, 0, Hash256.Compute("b"u8))]);
        }

        byte[] bytes = File.ReadAllBytes(path);
        Array.Clear(bytes, 0, 8);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => VoteLog.Open(path, 0, out _, _log.Add));
        Assert.Contains("not a torn end", e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }
}
