using SmartChain.Core.Encoding;
using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.IO;
using SmartChain.Ledger.Store;

namespace SmartChain.Node;

/// <summary>
/// The votes this replica cast, appended and fsynced before the messages that carry them are sent (persist, then
/// send). Record: <c>u32 length · u32 CRC-32 · body</c>, the body as <see cref="VoteRecordCodec"/> writes it. Read
/// back on restart so the replica never votes differently in an instance and regency it voted in; compacted to the
/// undecided instances on open and whenever it outgrows its compaction threshold.
/// </summary>
/// <remarks>
/// The votes a compaction would keep are also held in memory (<see cref="_kept"/>), pruned as the durable instance
/// advances, so compacting writes them out without reading the log back: the read-back of a 64 MiB log took the
/// consensus thread for a long pause. A compaction that keeps much (the durable instance lagging) raises the next
/// threshold, so a stalled durable instance can never make every Ready rewrite the whole log.
/// </remarks>
internal sealed class VoteLog : IDisposable
{
    public const string FileName = "votes.log";
    /// <summary>The default size past which the log is compacted.</summary>
    public const long DefaultCompactBytes = 64L * 1024 * 1024;
    private readonly string _path;
    private readonly long _compactBytes;
    private readonly IStorage _storage;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private IStorageFile _file;
    private long _fsyncs;
    private long _length; // tracked, so the size check costs no system call per append
    private long _compactAt;
    private long _prunedThrough;
    private List<VoteRecord> _kept; // what reading the log back after _prunedThrough would return
    private long _compactions;
    private Exception? _compactionFailed;

    private VoteLog(string path, IStorage storage, List<VoteRecord> kept, long lastDecided, long compactBytes)
    {
        _path = path;
        _storage = storage;
        _kept = kept;
        _prunedThrough = lastDecided;
        _compactBytes = compactBytes;
        _file = storage.Open(path, StorageOpenMode.Append);
        _length = _file.Length;
        _compactAt = NextThreshold(_length);
    }

    /// <summary>Opens the log, returning what <see cref="VoteRecord.KeptAfter"/> keeps of it after <paramref name="lastDecided"/>.</summary>
    /// <exception cref="InvalidDataException">A record before the torn tail (if any) does not decode or does not match its checksum.</exception>
    public static VoteLog Open(string path, long lastDecided, out IReadOnlyList<VoteRecord> undecided, Action<string> log, IStorage? storage = null,
        long compactBytes = DefaultCompactBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(compactBytes);
        storage ??= FileSystemStorage.Instance;
        List<VoteRecord> kept;
        try
        {
            kept = storage.FileExists(path) ? Read(storage, path, lastDecided, log) : [];
        }
        catch (EncodingException e)
        {
            // A record whose checksum held yet does not decode is no torn write but a damaged or foreign file.
            throw new InvalidDataException($"{path} is damaged: a vote does not decode: {e.Message}", e);
        }

        Rewrite(storage, path, kept);
        undecided = [.. kept];
        return new VoteLog(path, storage, kept, lastDecided, compactBytes);
    }

    public void Append(IReadOnlyList<VoteRecord> votes)
    {
        if (_compactionFailed is { } failed)
        {
            throw new InvalidOperationException($"{_path}: a compaction failed ({failed.Message}); no vote can be appended until the replica restarts", failed);
        }

        foreach (VoteRecord vote in votes)
        {
            _length += WriteRecord(_file, _buffer, vote);
            _kept.Add(vote);
        }

        _file.Sync();
        Interlocked.Increment(ref _fsyncs);
    }

    /// <summary>fsyncs of appended votes so far.</summary>
    public long Fsyncs => Interlocked.Read(ref _fsyncs);

    /// <summary>Rewrites of the log by <see cref="MaybeCompact"/> so far.</summary>
    public long Compactions => Interlocked.Read(ref _compactions);

    /// <summary>Drops votes of instances up to <paramref name="durableDecided"/> once the log is large.</summary>
    public void MaybeCompact(long durableDecided)
    {
        if (durableDecided > _prunedThrough)
        {
            _prunedThrough = durableDecided;
            if (HoldsDecided(_kept, durableDecided))
            {
                _kept = VoteRecord.KeptAfter(_kept, durableDecided);
            }
        }

        if (_length < _compactAt)
        {
            return;
        }

        _file.Dispose();
        try
        {
            Rewrite(_storage, _path, _kept);
        }
        catch (Exception e)
        {
            // The handle is closed and the log may already be the new file: appending anywhere would be a guess. The
            // exception stops the replica (the consensus loop is supervised); this makes any later Append say why.
            _compactionFailed = e;
            throw;
        }

        _file = _storage.Open(_path, StorageOpenMode.Append);
        _length = _file.Length;
        _compactAt = NextThreshold(_length);
        Interlocked.Increment(ref _compactions);
    }

    // What a compaction keeps is rewritten at the next one too: the threshold leaves room for as much again, so the
    // bytes rewritten stay proportional to the bytes appended whatever the durable instance does.
    private long NextThreshold(long keptBytes) => _compactBytes + (2 * keptBytes);

    // Whether KeptAfter would drop anything: a decided vote, or a second decided STOP (it keeps the highest one).
    private static bool HoldsDecided(List<VoteRecord> votes, long durableDecided)
    {
        int stops = 0;
        foreach (VoteRecord vote in votes)
        {
            if (vote.Instance <= durableDecided && (vote.Kind != MessageType.Stop || ++stops > 1))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _file.Dispose();

    // Written beside the log, fsynced, then renamed over it: a crash leaves the old log or the new one, never half.
    private static void Rewrite(IStorage storage, string path, IReadOnlyList<VoteRecord> votes)
    {
        string next = path + ".new";
        storage.Delete(next);
        using (IStorageFile file = storage.Open(next, StorageOpenMode.CreateNew))
        {
            var buffer = new ArrayBufferWriter<byte>();
            foreach (VoteRecord vote in votes)
            {
                WriteRecord(file, buffer, vote);
            }

            file.Sync();
        }

        storage.Move(next, path, overwrite: true);
        storage.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/"); // the rename itself, or a crash could bring back the old log
    }

    // Returns the bytes written.
    private static int WriteRecord(IStorageFile file, ArrayBufferWriter<byte> buffer, VoteRecord vote)
    {
        buffer.ResetWrittenCount();
        VoteRecordCodec.Write(buffer, vote);

        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)buffer.WrittenCount);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(buffer.WrittenSpan));
        file.Write(header);
        file.Write(buffer.WrittenSpan);
        return header.Length + buffer.WrittenCount;
    }

    // A torn tail ends the log: those votes were never sent (the send follows the fsync).
    private static List<VoteRecord> Read(IStorage storage, string path, long after, Action<string> log)
    {
        byte[] bytes = storage.ReadAllBytes(path);
        var votes = new List<VoteRecord>();
        int at = 0;
        while (at < bytes.Length)
        {
            int length = bytes.Length - at >= 8 ? (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at)), int.MaxValue) : -1;

            // Length 0 is never a vote, and zeros pass the CRC-32 of nothing: it starts a zero-filled tail, left by
            // a crash after the file grew and before its data landed.
            if (length <= 0 || length > bytes.Length - at - 8 ||
                Crc32.HashToUInt32(bytes.AsSpan(at + 8, length)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 4)))
            {
                // Only the end can be torn: a whole record with a wrong checksum and more after it is damage, and the
                // fsynced votes after it must not be dropped with it. What is dropped (and rewritten away) is read twice.
                if (length > 0 && length <= bytes.Length - at - 8 && at + 8 + length < bytes.Length)
                {
                    throw new InvalidDataException($"{path} is damaged: checksum mismatch in the vote record at offset {at}, before the end of the log");
                }

                if (TornTail.WhyNotTorn(bytes, at) is { } damage)
                {
                    throw new InvalidDataException($"{path} is damaged: the vote record at offset {at} is not a torn end: {damage}; nothing dropped");
                }

                if (!storage.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
                {
                    throw new InvalidDataException($"{path}: what looked like a torn last vote at offset {at} read back differently a second time; nothing dropped");
                }

                log($"{path}: ignored {bytes.Length - at} bytes of a torn last vote at offset {at}");
                break;
            }

            votes.Add(VoteRecordCodec.Read(bytes.AsSpan(at + 8, length)));
            at += 8 + length;
        }

        return VoteRecord.KeptAfter(votes, after);
    }
}
