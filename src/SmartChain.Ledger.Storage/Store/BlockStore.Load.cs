using System.Buffers.Binary;
using System.IO.Hashing;
using SmartChain.Core.Encoding;
using SmartChain.Core.IO;

namespace SmartChain.Ledger.Store;

/// <summary>Opening: scan every segment, rebuild the index, check numbers and links, truncate a torn tail.</summary>
public sealed partial class BlockStore
{
    private void Load(Action<string> log)
    {
        IReadOnlyList<string> files = _storage.ListFiles(_folder, "segment-*.log");
        for (int i = 0; i < files.Count; i++)
        {
            string expected = Path.Combine(_folder, $"segment-{i:D6}.log");
            if (files[i] != expected)
            {
                throw new LedgerCorruptException(files[i], _blocks.Count, $"segment files are not numbered 0..{files.Count - 1} (expected {Path.GetFileName(expected)})");
            }

            _segments.Add(files[i]);
            ScanSegment(i, isLast: i == files.Count - 1, log);
        }

        bool existed = _segments.Count > 0;
        _writer = _options.ReadOnly ? null : OpenSegment(_segments.Count == 0 ? 0 : _segments.Count - 1);

        // What was read may be only in the page cache: a process that died after appending and before its group
        // commit leaves its blocks readable but not on disk, and one that died before syncing the folder after creating
        // a segment leaves a name a power cut can forget. They count as committed from here on (replies, signatures),
        // so the last segment and the folder are made durable first; earlier segments were fsynced when closed.
        if (_writer is not null && existed)
        {
            _writer.Sync();
            _storage.SyncDirectory(_folder);
        }

        CommittedHeight = Height;
    }

    private void ScanSegment(int index, bool isLast, Action<string> log)
    {
        string file = _segments[index];
        byte[] bytes = _storage.ReadAllBytes(file);
        long offset = 0;
        while (offset < bytes.Length)
        {
            long next = _blocks.Count;
            string? torn = null;
            int length = 0;
            if (bytes.Length - offset < RecordHeaderSize)
            {
                torn = $"{bytes.Length - offset} bytes, less than a record header";
            }
            else
            {
                length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset)), int.MaxValue);
                if (length == 0)
                {
                    // No record is empty (a payload starts with its kind), and zeros pass the CRC-32 of nothing: a
                    // zero-filled tail, left by a crash after the file grew and before its data landed.
                    torn = "a zero length, the start of a zero-filled tail";
                }
                else if (length > bytes.Length - offset - RecordHeaderSize)
                {
                    torn = $"a record of {length} bytes with only {bytes.Length - offset - RecordHeaderSize} present";
                }
                else if (Crc32.HashToUInt32(bytes.AsSpan((int)offset + RecordHeaderSize, length)) !=
                         BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offset + 4)))
                {
                    if (offset + RecordHeaderSize + length != bytes.Length || !isLast)
                    {
                        throw new LedgerCorruptException(file, next, $"checksum mismatch in the record at offset {offset}");
                    }

                    torn = "a last record whose checksum does not match";
                }
            }

            if (torn is not null)
            {
                if (!isLast)
                {
                    throw new LedgerCorruptException(file, next, $"incomplete record at offset {offset} in a segment that is not the last");
                }

                if (_options.ReadOnly)
                {
                    log($"ignored an incomplete last record of {Path.GetFileName(file)} at offset {offset} ({torn}); reading up to block {next - 1}");
                    return;
                }

                if (TornTail.WhyNotTorn(bytes, (int)offset) is { } damage)
                {
                    throw new LedgerCorruptException(file, next, $"the record at offset {offset} ({torn}) is not a torn tail: {damage}; nothing truncated");
                }

                // Truncating destroys what it cuts, so one read alone does not decide it: a disk that returned a
                // flipped bit (in a length, or in a committed last record) would otherwise cut committed blocks.
                byte[] again = _storage.ReadAllBytes(file);
                if (!again.AsSpan().SequenceEqual(bytes))
                {
                    throw new LedgerCorruptException(file, next, $"what looked like a torn tail at offset {offset} ({torn}) read back differently a second time; nothing truncated");
                }

                Truncate(file, offset);
                log($"truncated a torn tail of {Path.GetFileName(file)} at offset {offset} ({torn}); the ledger ends at block {next - 1}");
                return;
            }

            Index(file, index, offset, bytes.AsSpan((int)offset + RecordHeaderSize, length));
            offset += RecordHeaderSize + length;
        }
    }

    private void Index(string file, int segment, long offset, ReadOnlySpan<byte> payload)
    {
        long next = _blocks.Count;
        var location = new RecordLocation(segment, offset, payload.Length);
        try
        {
            switch ((RecordKind)payload[0])
            {
                case RecordKind.Block:
                    Block block = CanonicalEncoding.Decode(payload[1..], Block.ReadFrom);
                    if (block.Header.Number != next)
                    {
                        throw new LedgerCorruptException(file, next, $"found block {block.Header.Number} where block {next} belongs");
                    }

                    // Read-only opens are for the verifier, which checks links itself in block order, after the
                    // previous block's own checks, so a changed header is reported where it was changed.
                    if (!_options.ReadOnly && _head is not null && block.Header.HashLastBlock != _head.Hash())
                    {
                        throw new LedgerCorruptException(file, next, $"hashLastBlock does not match the hash of block {next - 1}");
                    }

                    _blocks.Add(location);
                    _head = block.Header;
                    break;
                case RecordKind.Certificate:
                    if (payload.Length < 9)
                    {
                        throw new LedgerCorruptException(file, next, $"a certificate record of {payload.Length} bytes at offset {offset}, shorter than its block number");
                    }

                    long number = BinaryPrimitives.ReadInt64LittleEndian(payload[1..]);
                    if (number < 0 || number >= next)
                    {
                        throw new LedgerCorruptException(file, next, $"certificate for block {number}, which is not stored before it");
                    }

                    CanonicalEncoding.Decode(payload[9..], BlockCertificate.ReadFrom);
                    _certificates[number] = location;
                    break;
                default:
                    throw new LedgerCorruptException(file, next, $"unknown record kind {payload[0]} at offset {offset}");
            }
        }
        catch (EncodingException e)
        {
            throw new LedgerCorruptException(file, next, $"the record at offset {offset} does not decode: {e.Message}");
        }
    }

    private void Truncate(string file, long length)
    {
        using IStorageFile stream = _storage.Open(file, StorageOpenMode.Write);
        stream.SetLength(length);
        stream.Sync();
    }
}
