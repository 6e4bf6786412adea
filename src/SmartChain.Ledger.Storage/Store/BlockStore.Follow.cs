using System.Buffers.Binary;
using System.IO.Hashing;
using SmartChain.Core.IO;

namespace SmartChain.Ledger.Store;

/// <summary>
/// Following a store that another writer appends to (the replica's own ledger loop): a read-only store reads the
/// records appended since it was opened, without ever touching the writer's objects, so a reader on another thread
/// (the HTTP API) never takes a lock the ledger loop holds.
/// </summary>
public sealed partial class BlockStore
{
    // Most bytes one Follow call reads, so one call's work (and memory) stays bounded however far behind it is.
    private const int FollowChunkBytes = 4 * 1024 * 1024;
    private long _followOffset = -1;

    /// <summary>
    /// Reads the whole records appended to a read-only store since it was opened or last followed, and returns
    /// <see cref="Height"/>. A record the writer has not finished (short, or its checksum does not match yet) ends the
    /// call and is read by a later one. Not thread-safe: one caller at a time.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store was not opened read-only.</exception>
    /// <exception cref="LedgerCorruptException">A whole record does not decode or is out of order.</exception>
    public long Follow()
    {
        if (!_options.ReadOnly)
        {
            throw new InvalidOperationException("only a read-only store follows another writer");
        }

        if (_segments.Count == 0)
        {
            string first = Path.Combine(_folder, $"segment-{0:D6}.log");
            if (!_storage.FileExists(first))
            {
                return Height;
            }

            _segments.Add(first);
            _followOffset = 0;
        }

        if (_followOffset < 0)
        {
            _followOffset = EndOfLastRecord();
        }

        int budget = FollowChunkBytes;
        while (budget > 0)
        {
            int read = FollowSegment(_segments.Count - 1, budget);
            budget -= read;
            if (read > 0)
            {
                continue;
            }

            // The writer starts a new segment only once the current one is whole: reading moves on when it is all read.
            string next = Path.Combine(_folder, $"segment-{_segments.Count:D6}.log");
            if (!_storage.FileExists(next) || _storage.FileLength(_segments[^1]) != _followOffset)
            {
                break;
            }

            _segments.Add(next);
            _followOffset = 0;
        }

        CommittedHeight = Height;
        return Height;
    }

    // Reads whole records of segment `index` from _followOffset, at most `budget` bytes; returns the bytes consumed.
    private int FollowSegment(int index, int budget)
    {
        string file = _segments[index];
        using IStorageFile stream = _storage.Open(file, StorageOpenMode.Read);
        long available = stream.Length - _followOffset;
        if (available <= RecordHeaderSize)
        {
            return 0;
        }

        byte[] bytes = new byte[(int)Math.Min(available, budget)];
        stream.Position = _followOffset;
        stream.ReadExactly(bytes);
        int offset = 0;
        while (bytes.Length - offset >= RecordHeaderSize)
        {
            int length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)), int.MaxValue);
            if (length == 0 || length > bytes.Length - offset - RecordHeaderSize)
            {
                if (offset == 0 && length > budget - RecordHeaderSize && length <= available - RecordHeaderSize)
                {
                    // One record larger than the chunk: read exactly it.
                    return FollowLarge(stream, length);
                }

                break;
            }

            ReadOnlySpan<byte> payload = bytes.AsSpan(offset + RecordHeaderSize, length);
            if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 4)))
            {
                break; // still being written
            }

            Index(file, index, _followOffset, payload);
            _followOffset += RecordHeaderSize + length;
            offset += RecordHeaderSize + length;
        }

        return offset;
    }

    private int FollowLarge(IStorageFile stream, int length)
    {
        byte[] record = new byte[RecordHeaderSize + length];
        stream.Position = _followOffset;
        stream.ReadExactly(record);
        ReadOnlySpan<byte> payload = record.AsSpan(RecordHeaderSize);
        if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(4)))
        {
            return 0;
        }

        Index(_segments[^1], _segments.Count - 1, _followOffset, payload);
        _followOffset += record.Length;
        return record.Length;
    }

    // Where the records indexed at open end in the last segment (blocks and certificates are both records).
    private long EndOfLastRecord()
    {
        int last = _segments.Count - 1;
        long end = 0;
        foreach (RecordLocation location in _blocks)
        {
            if (location.Segment == last)
            {
                end = Math.Max(end, location.Offset + RecordHeaderSize + location.Length);
            }
        }

        foreach (RecordLocation location in _certificates.Values)
        {
            if (location.Segment == last)
            {
                end = Math.Max(end, location.Offset + RecordHeaderSize + location.Length);
            }
        }

        return end;
    }
}
