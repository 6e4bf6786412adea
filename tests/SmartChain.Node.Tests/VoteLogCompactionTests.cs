using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;

namespace SmartChain.Node.Tests;

/// <summary>
/// Compaction of the vote log: it keeps exactly what reading the log back keeps, and a durable instance that stops
/// moving cannot make it rewrite the log on every append (a naive-ledger benchmark stalled its leader that way: every
/// Ready read and rewrote a 64 MiB log on the consensus thread).
/// </summary>
public sealed class VoteLogCompactionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("smartchain-votelog-compact-").FullName;
    private readonly List<string> _log = [];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string LogPath => Path.Combine(_dir, VoteLog.FileName);

    private static VoteRecord Write(long instance, int regency = 0) => new(MessageType.Write, instance, regency, Hash256.Compute(BitConverter.GetBytes(instance)));

    [Fact]
    public void A_durable_instance_that_stops_moving_does_not_make_every_append_rewrite_the_log()
    {
        using VoteLog votes = VoteLog.Open(LogPath, 0, out _, _log.Add, compactBytes: 4096);
        for (long instance = 1; instance <= 2_000; instance++)
        {
            votes.Append([Write(instance)]);
            votes.MaybeCompact(durableDecided: 0);
        }

        // About 2,000 × 60 bytes appended with nothing ever droppable: each compaction must leave room for as much
        // again, so they stay logarithmic in the appends (a fixed threshold rewrote the log on each of ~1,930 appends).
        Assert.InRange(votes.Compactions, 1, 8);
        using VoteLog reopened = ReopenAfterDispose(votes, 0, out IReadOnlyList<VoteRecord> undecided);
        Assert.Equal(2_000, undecided.Count);
    }

    [Fact]
    public void Compaction_keeps_what_reading_the_log_back_keeps()
    {
        var random = new Random(1234);
        var appended = new List<VoteRecord>();
        long durable = 0;
        using VoteLog votes = VoteLog.Open(LogPath, 0, out _, _log.Add, compactBytes: 512);
        for (long instance = 1; instance <= 400; instance++)
        {
            int regency = (int)(instance / 50);
            var batch = new List<VoteRecord> { Write(instance, regency) };
            if (random.Next(10) == 0)
            {
                batch.Add(new VoteRecord(MessageType.Stop, instance, regency + 1, default));
            }

            votes.Append(batch);
            appended.AddRange(batch);
            durable = Math.Min(instance, durable + random.Next(0, 3)); // lags, stalls and catches up
            votes.MaybeCompact(durable);
        }

        Assert.True(votes.Compactions > 3, $"only {votes.Compactions} compactions ran");
        Assert.True(new FileInfo(LogPath).Length < 4096, $"the compacted log holds {new FileInfo(LogPath).Length} bytes");
        using VoteLog reopened = ReopenAfterDispose(votes, durable, out IReadOnlyList<VoteRecord> undecided);
        Assert.Equal(VoteRecord.KeptAfter(appended, durable), undecided);
        Assert.Contains(undecided, v => v.Kind == MessageType.Stop);
    }

    private VoteLog ReopenAfterDispose(VoteLog votes, long lastDecided, out IReadOnlyList<VoteRecord> undecided)
    {
        votes.Dispose();
        return VoteLog.Open(LogPath, lastDecided, out undecided, _log.Add);
    }

    [Fact]
    public void After_a_compaction_that_failed_no_vote_is_appended_and_the_log_says_why()
    {
        var disk = new SmartChain.TestSupport.Storage.SimulatedDisk(new Random(5));
        disk.CreateDirectory("/data");
        using VoteLog votes = VoteLog.Open("/data/" + VoteLog.FileName, 0, out _, _log.Add, disk, compactBytes: 1);
        votes.Append([Write(1)]);
        disk.FailSyncIn = 1; // the rewrite's fsync of votes.log.new
        Assert.Throws<IOException>(() => votes.MaybeCompact(0));

        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => votes.Append([Write(2)]));
        Assert.Contains("a compaction failed", e.Message, StringComparison.Ordinal);
    }
}
