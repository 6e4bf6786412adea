using System.Collections.Concurrent;
using SmartChain.Core.IO;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;

namespace SmartChain.Ledger.Tests;

/// <summary>
/// Issue 14, point 8: the ledger fsyncs a folder after each file it creates or renames. What these tests prove: the real
/// code paths call the folder fsync on the right folder and it succeeds; not that the disk keeps the name (only a power
/// cut shows that).
/// </summary>
public sealed class DirectorySyncTests : IDisposable
{
    private readonly LedgerFixture _f = new();
    private readonly ConcurrentQueue<string> _synced = new();

    public DirectorySyncTests() => DurableDirectory.Synced += Record;

    public void Dispose()
    {
        DurableDirectory.Synced -= Record;
        _f.Dispose();
    }

    // Other tests run in parallel and sync their own folders: keep only ours.
    private void Record(string folder)
    {
        if (folder.StartsWith(Path.GetFullPath(_f.Folder), StringComparison.Ordinal))
        {
            _synced.Enqueue(folder);
        }
    }

    private int Count(string folder) => _synced.Count(f => f == Path.GetFullPath(folder));

    [Fact]
    public void Creating_the_store_and_each_new_segment_syncs_their_folders()
    {
        string blocks = Path.Combine(_f.Folder, BlockStore.FolderName);
        using (BlockStore store = BlockStore.Open(_f.Folder, BlockStoreOptions.Default with { MaxSegmentBytes = 1 }))
        {
            Assert.Equal(1, Count(_f.Folder)); // the blocks folder
            Assert.Equal(1, Count(blocks)); // segment 0
            foreach (Block block in _f.Chainof(2))
            {
                store.Append(block);
                store.Commit();
            }
        }

        int segments = Directory.GetFiles(blocks, "segment-*.log").Length;
        Assert.True(segments >= 2, $"{segments} segments");
        Assert.Equal(segments, Count(blocks));

        using BlockStore reopened = BlockStore.Open(_f.Folder);
        // Reopening creates nothing, yet syncs the folder once: a process that died between creating a segment and
        // syncing its folder left a name a power cut can still forget (StorageFaultTests).
        Assert.Equal(segments + 1, Count(blocks));
    }

    [Fact]
    public void Writing_or_installing_a_snapshot_syncs_the_snapshot_folder_after_the_rename()
    {
        var snapshots = new SnapshotStore(_f.Folder);
        snapshots.Write(10, [1, 2, 3]);
        Assert.Equal(1, Count(snapshots.Folder));

        File.WriteAllBytes(snapshots.PartialPathOf(20), [4, 5]);
        snapshots.InstallDownload(20);
        Assert.Equal(2, Count(snapshots.Folder));
        Assert.True(snapshots.Has(20));
    }
}
