using System.IO.Enumeration;
using SmartChain.Core.IO;

namespace SmartChain.TestSupport.Storage;

/// <summary>
/// An in-memory, seeded disk behind <see cref="IStorage"/>, modelling what a real one does to a replica's files:
/// <list type="bullet">
/// <item>data written but not fsynced is lost on a power cut, or (seeded) partly kept: a prefix of the unsynced appends
/// (a torn write), or a zero-filled stretch (the file grew, its data never landed);</item>
/// <item>a name created, renamed or removed survives a power cut only once its folder was fsynced;</item>
/// <item>a process crash keeps everything written (the page cache survives it), only the process's handles go;</item>
/// <item>an armed fsync (of a file or a folder) fails with <see cref="IOException"/>, leaving the data unsynced;</item>
/// <item>an armed read returns its bytes with one bit flipped (the stored bytes stay as they were).</item>
/// </list>
/// Folders themselves are durable once created (the code under test syncs the data folder after creating one).
/// Single-threaded, as the storage code it drives.
/// </summary>
public sealed class SimulatedDisk(Random random) : IStorage
{
    private readonly Dictionary<string, SimulatedFile> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedFile> _durableNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _folders = new(StringComparer.Ordinal) { "/" };

    /// <summary>Bumped by every crash; handles of an earlier generation refuse to work.</summary>
    public long Generation { get; private set; }

    /// <summary>Armed fsync failure: the n-th sync from now fails (0: none armed).</summary>
    public int FailSyncIn { get; set; }

    /// <summary>Armed read corruption: the n-th non-empty read from now has one bit flipped (0: none armed).</summary>
    public int CorruptReadIn { get; set; }

    /// <summary>Armed read corruption at a chosen place: the next read that covers this byte of this file has it flipped.</summary>
    public (string File, long Offset)? CorruptReadAt { get; set; }

    /// <summary>
    /// Armed read corruption of a kind of file, for a replica that is running: the next non-empty read of a file this
    /// accepts has one (seeded) bit flipped; then it disarms itself.
    /// </summary>
    public Func<string, bool>? CorruptNextReadOf { get; set; }

    /// <summary>Where the last corrupted read was: file and offset of the flipped byte.</summary>
    public (string File, long Offset)? LastCorruption { get; private set; }

    /// <summary>How often each fault happened.</summary>
    public FaultCounts Counts { get; } = new();

    /// <summary>Probability that a power cut keeps part of a file's unsynced appends.</summary>
    public double TearProbability { get; set; } = 0.5;

    public bool FileExists(string path) => _names.ContainsKey(path);

    public bool DirectoryExists(string path) => _folders.Contains(Trim(path));

    public void CreateDirectory(string path)
    {
        for (string? folder = Trim(path); folder is not null && _folders.Add(folder); folder = Path.GetDirectoryName(folder))
        {
        }
    }

    public IReadOnlyList<string> ListFiles(string folder, string pattern)
    {
        folder = Trim(folder);
        if (!_folders.Contains(folder))
        {
            throw new DirectoryNotFoundException(folder);
        }

        var found = new List<string>();
        foreach (string name in _names.Keys)
        {
            if (Path.GetDirectoryName(name) == folder && FileSystemName.MatchesSimpleExpression(pattern, Path.GetFileName(name)))
            {
                found.Add(name);
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    public long FileLength(string path) => Find(path).Length;

    public byte[] ReadAllBytes(string path)
    {
        byte[] bytes = Find(path).Data.ToArray();
        MaybeCorrupt(path, 0, bytes);
        return bytes;
    }

    public IStorageFile Open(string path, StorageOpenMode mode, int bufferSize = 4096)
    {
        if (!_folders.Contains(Path.GetDirectoryName(path) ?? "/"))
        {
            throw new DirectoryNotFoundException($"no folder for {path}");
        }

        _names.TryGetValue(path, out SimulatedFile? file);
        switch (mode)
        {
            case StorageOpenMode.Read or StorageOpenMode.Write when file is null:
                throw new FileNotFoundException($"no file {path}", path);
            case StorageOpenMode.CreateNew when file is not null:
                throw new IOException($"{path} exists");
        }

        if (file is null)
        {
            file = new SimulatedFile();
            _names[path] = file;
        }

        var handle = new SimulatedFileHandle(this, file, path, mode != StorageOpenMode.Read, Generation);
        if (mode == StorageOpenMode.Append)
        {
            handle.Position = file.Length;
        }

        return handle;
    }

    public void Move(string source, string destination, bool overwrite)
    {
        SimulatedFile file = Find(source);
        if (!overwrite && _names.ContainsKey(destination))
        {
            throw new IOException($"{destination} exists");
        }

        _names[destination] = file;
        _names.Remove(source);
    }

    public void Delete(string path) => _names.Remove(path);

    public void SyncDirectory(string folder)
    {
        folder = Trim(folder);
        MaybeFailSync(folder);
        foreach (string name in _durableNames.Keys.Where(n => Path.GetDirectoryName(n) == folder).ToList())
        {
            _durableNames.Remove(name);
        }

        foreach ((string name, SimulatedFile file) in _names)
        {
            if (Path.GetDirectoryName(name) == folder)
            {
                _durableNames[name] = file;
            }
        }
    }

    /// <summary>The process dies: its handles go, the page cache (everything written) stays.</summary>
    public void CrashProcess()
    {
        Generation++;
        Counts[DiskEvent.ProcessCrashes]++;
    }

    /// <summary>
    /// The power goes: names fall back to those last synced in their folders, files to their synced bytes, and
    /// (seeded) part of a file's unsynced appends survives, torn or zero-filled.
    /// </summary>
    public void CrashPower()
    {
        Generation++;
        Counts[DiskEvent.PowerCuts]++;
        _names.Clear();
        foreach ((string name, SimulatedFile file) in _durableNames)
        {
            _names[name] = file;
        }

        foreach (SimulatedFile file in _names.Values.Distinct())
        {
            Counts[DiskEvent.UnsyncedBytesLost] += file.Unsynced;
            file.Crash(Tear);
        }
    }

    /// <summary>The bytes of <paramref name="path"/> as a reader sees them now, without any fault (for the checks).</summary>
    public byte[]? Peek(string path) => _names.TryGetValue(path, out SimulatedFile? file) ? file.Data.ToArray() : null;

    internal void MaybeFailSync(string path)
    {
        if (FailSyncIn > 0 && --FailSyncIn == 0)
        {
            Counts[DiskEvent.FailedSyncs]++;
            throw new IOException($"simulated fsync failure of {path} (EIO)");
        }

        Counts[DiskEvent.Syncs]++;
    }

    internal void MaybeCorrupt(string path, long offset, Span<byte> bytes)
    {
        if (CorruptReadAt is { } at && at.File == path && at.Offset >= offset && at.Offset < offset + bytes.Length)
        {
            bytes[(int)(at.Offset - offset)] ^= 0x10;
            LastCorruption = at;
            CorruptReadAt = null;
            Counts[DiskEvent.CorruptReads]++;
            return;
        }

        if (bytes.Length > 0 && CorruptNextReadOf is { } wanted && wanted(path))
        {
            CorruptNextReadOf = null;
            Flip(path, offset, bytes);
            return;
        }

        if (bytes.Length == 0 || CorruptReadIn <= 0 || --CorruptReadIn > 0)
        {
            return;
        }

        Flip(path, offset, bytes);
    }

    private void Flip(string path, long offset, Span<byte> bytes)
    {
        int flipped = random.Next(bytes.Length);
        bytes[flipped] ^= (byte)(1 << random.Next(8));
        LastCorruption = (path, offset + flipped);
        Counts[DiskEvent.CorruptReads]++;
    }

    private (int Kept, bool Zeros) Tear(int unsynced)
    {
        if (random.NextDouble() >= TearProbability)
        {
            return (0, false);
        }

        bool zeros = random.Next(3) == 0;
        if (zeros)
        {
            Counts[DiskEvent.ZeroFilledTails]++;
        }
        else
        {
            Counts[DiskEvent.TornWrites]++;
        }

        return (random.Next(1, unsynced + 1), zeros);
    }

    private SimulatedFile Find(string path) =>
        _names.TryGetValue(path, out SimulatedFile? file) ? file : throw new FileNotFoundException($"no file {path}", path);

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd('/') : path;
}
