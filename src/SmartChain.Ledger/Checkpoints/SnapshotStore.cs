using System.Globalization;

namespace SmartChain.Ledger.Checkpoints;

/// <summary>
/// The snapshot files of one replica, in <c>DATA/checkpoints/</c>, named by the number of the checkpoint block that
/// records them: <c>snapshot-000000001000.bin</c>. A file is written under a temporary name, fsynced, then renamed,
/// so a crash leaves either the whole file or none. Downloads in progress are <c>.partial</c> files, which a resumed
/// transfer continues. The ledger is never truncated: pruning removes snapshot files only.
/// </summary>
public sealed class SnapshotStore
{
    /// <summary>Folder under the data folder.</summary>
    public const string FolderName = "checkpoints";

    private const string Prefix = "snapshot-";
    private const string Suffix = ".bin";

    /// <summary>Opens (creating if needed) the snapshot folder of <paramref name="dataDir"/>.</summary>
    public SnapshotStore(string dataDir)
    {
        Folder = Path.Combine(dataDir, FolderName);
        Directory.CreateDirectory(Folder);
        foreach (string stale in Directory.GetFiles(Folder, "*.tmp"))
        {
            File.Delete(stale); // a write that a crash interrupted: never renamed, so never used
        }
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>Path of the snapshot recorded by checkpoint block <paramref name="checkpointBlock"/>.</summary>
    public string PathOf(long checkpointBlock) => Path.Combine(Folder, $"{Prefix}{checkpointBlock:D12}{Suffix}");

    /// <summary>Path of a download in progress of that snapshot.</summary>
    public string PartialPathOf(long checkpointBlock) => PathOf(checkpointBlock) + ".partial";

    /// <summary>True if the snapshot of checkpoint block <paramref name="checkpointBlock"/> is here.</summary>
    public bool Has(long checkpointBlock) => File.Exists(PathOf(checkpointBlock));

    /// <summary>Checkpoint blocks whose snapshots are here, newest first.</summary>
    public IReadOnlyList<long> Available()
    {
        var found = new List<long>();
        foreach (string file in Directory.GetFiles(Folder, Prefix + "*" + Suffix))
        {
            string name = Path.GetFileName(file);
            if (long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out long n))
            {
                found.Add(n);
            }
        }

        found.Sort((a, b) => b.CompareTo(a));
        return found;
    }

    /// <summary>Writes the snapshot durably: temporary file, fsync, rename.</summary>
    public void Write(long checkpointBlock, ReadOnlySpan<byte> bytes)
    {
        string temporary = PathOf(checkpointBlock) + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, PathOf(checkpointBlock), overwrite: true);
    }

    /// <summary>Makes a finished, verified download the snapshot of <paramref name="checkpointBlock"/>.</summary>
    public void InstallDownload(long checkpointBlock)
    {
        string partial = PartialPathOf(checkpointBlock);
        using (var stream = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            stream.Flush(flushToDisk: true);
        }

        File.Move(partial, PathOf(checkpointBlock), overwrite: true);
    }

    /// <summary>Reads the whole snapshot file.</summary>
    public byte[] Read(long checkpointBlock) => File.ReadAllBytes(PathOf(checkpointBlock));

    /// <summary>Keeps the newest <paramref name="retain"/> snapshots and removes the rest (and stale downloads of older ones).</summary>
    public void Prune(int retain)
    {
        IReadOnlyList<long> available = Available();
        for (int i = Math.Max(1, retain); i < available.Count; i++)
        {
            File.Delete(PathOf(available[i]));
        }

        if (available.Count > 0)
        {
            foreach (string partial in Directory.GetFiles(Folder, Prefix + "*" + Suffix + ".partial"))
            {
                if (string.CompareOrdinal(Path.GetFileName(partial), Path.GetFileName(PathOf(available[0]))) < 0)
                {
                    File.Delete(partial);
                }
            }
        }
    }
}
