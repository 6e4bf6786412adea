using System.Buffers;
using System.Globalization;
using SmartChain.Core.Crypto;
using SmartChain.Core.IO;

namespace SmartChain.Ledger.Checkpoints;

/// <summary>
/// The snapshot files of one replica, in <c>DATA/checkpoints/</c>, named by the block whose state they hold (a
/// checkpoint block; the next checkpoint block records the file's hash): <c>snapshot-000000001000.bin</c>. A file is written under a temporary name, fsynced, then renamed,
/// so a crash leaves either the whole file or none. Downloads in progress are <c>.partial</c> files, which a resumed
/// transfer continues. The ledger is never truncated: pruning removes snapshot files only.
/// </summary>
public sealed class SnapshotStore
{
    /// <summary>Folder under the data folder.</summary>
    public const string FolderName = "checkpoints";

    private const string Prefix = "snapshot-";
    private const string Suffix = ".bin";
    private readonly IStorage _storage;

    /// <summary>
    /// Opens the snapshot folder of <paramref name="dataDir"/>. A replica opens it for writing (creating it, and
    /// deleting temporary files a crash left); <c>ledger verify</c> opens it read-only, safe beside a running replica.
    /// <paramref name="storage"/> is the disk (the real one unless a test simulates one).
    /// </summary>
    public SnapshotStore(string dataDir, bool readOnly = false, IStorage? storage = null)
    {
        Folder = Path.Combine(dataDir, FolderName);
        _storage = storage ?? FileSystemStorage.Instance;
        if (readOnly)
        {
            return;
        }

        _storage.CreateDirectory(Folder);
        foreach (string stale in _storage.ListFiles(Folder, "*.tmp"))
        {
            _storage.Delete(stale); // a write that a crash interrupted: never renamed, so never used
        }
    }

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>The disk the files are on; state transfer writes its downloads and serves chunks through it.</summary>
    public IStorage Storage => _storage;

    /// <summary>Path of the snapshot of the state after block <paramref name="snapshotBlock"/>.</summary>
    public string PathOf(long snapshotBlock) => Path.Combine(Folder, $"{Prefix}{snapshotBlock:D12}{Suffix}");

    /// <summary>Path of a download in progress of that snapshot.</summary>
    public string PartialPathOf(long snapshotBlock) => PathOf(snapshotBlock) + ".partial";

    /// <summary>True if the snapshot of checkpoint block <paramref name="snapshotBlock"/> is here.</summary>
    public bool Has(long snapshotBlock) => _storage.FileExists(PathOf(snapshotBlock));

    /// <summary>Blocks whose snapshots are here, newest first.</summary>
    public IReadOnlyList<long> Available()
    {
        var found = new List<long>();
        if (!_storage.DirectoryExists(Folder))
        {
            return found;
        }

        foreach (string file in _storage.ListFiles(Folder, Prefix + "*" + Suffix))
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
    public void Write(long snapshotBlock, ReadOnlySpan<byte> bytes)
    {
        using (IStorageFile stream = CreateTemporary(snapshotBlock))
        {
            stream.Write(bytes);
            stream.Sync();
        }

        PublishTemporary(snapshotBlock);
    }

    /// <summary>
    /// Writes the snapshot of <paramref name="snapshotBlock"/> as <paramref name="encode"/> produces it, hashing it on the
    /// way: the bytes go to the file through a 64 KiB staging buffer, never into one array (a checkpoint's snapshot is
    /// megabytes, and arrays that large cost the garbage collector a full collection). Durable and renamed into place,
    /// as <see cref="Write(long, ReadOnlySpan{byte})"/>.
    /// </summary>
    /// <returns>The SHA-256 of the bytes written, and their count.</returns>
    public (Hash256 Hash, long Size) Write(long snapshotBlock, Action<IBufferWriter<byte>> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        (Hash256 Hash, long Size) written;
        using (IStorageFile stream = CreateTemporary(snapshotBlock))
        using (var hasher = new HashingBufferWriter(stream))
        {
            encode(hasher);
            written = (hasher.GetHash(), hasher.BytesWritten);
            stream.Sync();
        }

        PublishTemporary(snapshotBlock);
        return written;
    }

    // A fresh temporary file beside the snapshot's path (a half-written one from a crash is dropped).
    private IStorageFile CreateTemporary(long snapshotBlock)
    {
        string temporary = PathOf(snapshotBlock) + ".tmp";
        _storage.Delete(temporary);
        return _storage.Open(temporary, StorageOpenMode.CreateNew);
    }

    // The fsynced temporary file becomes the snapshot; the folder is synced for the rename, or a crash could bring back
    // the old file or none.
    private void PublishTemporary(long snapshotBlock)
    {
        _storage.Move(PathOf(snapshotBlock) + ".tmp", PathOf(snapshotBlock), overwrite: true);
        _storage.SyncDirectory(Folder);
    }

    /// <summary>Makes a finished, verified download the snapshot of <paramref name="snapshotBlock"/>.</summary>
    public void InstallDownload(long snapshotBlock)
    {
        string partial = PartialPathOf(snapshotBlock);
        using (IStorageFile stream = _storage.Open(partial, StorageOpenMode.Write))
        {
            stream.Sync();
        }

        _storage.Move(partial, PathOf(snapshotBlock), overwrite: true);
        _storage.SyncDirectory(Folder);
    }

    /// <summary>Reads the whole snapshot file.</summary>
    public byte[] Read(long snapshotBlock) => _storage.ReadAllBytes(PathOf(snapshotBlock));

    /// <summary>
    /// Keeps the newest <paramref name="retain"/> snapshots (at least 2: the newest is not recorded by a checkpoint block
    /// until a period later, and peers fetch the one before it) and removes the rest, with stale downloads.
    /// </summary>
    public void Prune(int retain)
    {
        IReadOnlyList<long> available = Available();
        for (int i = Math.Max(2, retain); i < available.Count; i++)
        {
            _storage.Delete(PathOf(available[i]));
        }

        if (available.Count > 0)
        {
            foreach (string partial in _storage.ListFiles(Folder, Prefix + "*" + Suffix + ".partial"))
            {
                if (string.CompareOrdinal(Path.GetFileName(partial), Path.GetFileName(PathOf(available[0]))) < 0)
                {
                    _storage.Delete(partial);
                }
            }
        }
    }
}
