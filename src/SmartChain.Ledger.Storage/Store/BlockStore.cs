using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using SmartChain.Core.Encoding;
using SmartChain.Core.IO;

namespace SmartChain.Ledger.Store;

/// <summary>
/// Append-only block storage (docs/storage.md): numbered segment files of records <c>u32 length · u32 CRC-32 ·
/// payload</c>. <see cref="Append"/> and <see cref="AppendCertificate"/> only buffer; <see cref="Commit"/> makes
/// everything appended since the last commit durable with one fsync (group commit). Opening rebuilds the index,
/// truncates a torn tail (reported through the log callback) and refuses anything else that does not check out.
/// Single writer; reads may interleave with writes on the same thread.
/// </summary>
public sealed partial class BlockStore : IDisposable
{
    /// <summary>Folder inside a replica's data folder.</summary>
    public const string FolderName = "blocks";

    private const int RecordHeaderSize = 8;
    private readonly string _folder;
    private readonly BlockStoreOptions _options;
    private readonly IStorage _storage;
    private readonly List<string> _segments = [];
    private readonly List<RecordLocation> _blocks = [];
    private readonly Dictionary<long, RecordLocation> _certificates = [];
    private IStorageFile? _writer;
    private BlockHeader? _head;
    private long _uncommittedBlocks;

    private BlockStore(string folder, BlockStoreOptions options)
    {
        _folder = folder;
        _options = options;
        _storage = options.Storage;
    }

    /// <summary>Number of the last block appended, or -1 if the store is empty.</summary>
    public long Height => _blocks.Count - 1;

    /// <summary>Number of the last block made durable by a commit, or -1.</summary>
    public long CommittedHeight { get; private set; } = -1;

    /// <summary>Header of the last block appended.</summary>
    public BlockHeader? Head => _head;

    /// <summary>fsyncs done by commits so far.</summary>
    public long Fsyncs { get; private set; }

    /// <summary>Blocks made durable by commits so far (divide by <see cref="Fsyncs"/> for blocks per fsync).</summary>
    public long BlocksCommitted { get; private set; }

    /// <summary>True if opened with <see cref="OpenReadOnly"/>.</summary>
    public bool IsReadOnly => _options.ReadOnly;

    /// <summary>
    /// Opens the store of a replica that may be running, without changing anything: a torn tail is left in place and
    /// ignored, and only blocks up to the last complete record are visible.
    /// </summary>
    /// <exception cref="LedgerCorruptException">The store holds anything but a torn tail that does not check out.</exception>
    /// <exception cref="DirectoryNotFoundException">There is no block store in <paramref name="dataDir"/>.</exception>
    public static BlockStore OpenReadOnly(string dataDir, Action<string>? log = null, IStorage? storage = null)
    {
        string folder = Path.Combine(dataDir, FolderName);
        storage ??= FileSystemStorage.Instance;
        if (!storage.DirectoryExists(folder))
        {
            throw new DirectoryNotFoundException($"no block store at {folder}");
        }

        var store = new BlockStore(folder, BlockStoreOptions.Default with { ReadOnly = true, Storage = storage });
        store.Load(log ?? (_ => { }));
        return store;
    }

    /// <summary>Opens (or creates) the store in <paramref name="dataDir"/>/blocks.</summary>
    /// <exception cref="LedgerCorruptException">The store holds anything but a torn tail that does not check out.</exception>
    public static BlockStore Open(string dataDir, BlockStoreOptions? options = null, Action<string>? log = null)
    {
        string folder = Path.Combine(dataDir, FolderName);
        options ??= BlockStoreOptions.Default;
        if (!options.Storage.DirectoryExists(folder))
        {
            options.Storage.CreateDirectory(folder);
            options.Storage.SyncDirectory(dataDir);
        }

        var store = new BlockStore(folder, options);
        store.Load(log ?? (_ => { }));
        return store;
    }

    /// <summary>Buffers <paramref name="block"/>, which must be the next block and link to the head.</summary>
    /// <exception cref="ArgumentException">Not the next block, or its link does not match the head.</exception>
    public void Append(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Header.Number != Height + 1)
        {
            throw new ArgumentException($"block {block.Header.Number} appended after block {Height}");
        }

        if (_head is not null && block.Header.HashLastBlock != _head.Hash())
        {
            throw new ArgumentException($"block {block.Header.Number} does not link to block {Height}");
        }

        // Encoded into a pooled array: the file copies the bytes (a span cannot be kept), so the array goes back at once.
        int size = BlockPayloadSize(block);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            WriteBlockPayload(block, buffer, size);
            _blocks.Add(WriteRecord(buffer.AsSpan(0, size)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _head = block.Header;
        _uncommittedBlocks++;
        if (block.Certificate is not null)
        {
            AppendCertificate(block.Header.Number, block.Certificate);
        }
    }

    /// <summary>Buffers the certificate of block <paramref name="number"/> (weak mode completes certificates later).</summary>
    public void AppendCertificate(long number, BlockCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, Height);
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        byte[] payload = CanonicalEncoding.ToArray((number, certificate), static (ref CanonicalWriter w, (long Number, BlockCertificate Certificate) c) =>
        {
            w.WriteUInt8((byte)RecordKind.Certificate);
            w.WriteInt64(c.Number);
            c.Certificate.WriteTo(ref w);
        });
        _certificates[number] = WriteRecord(payload);
    }

    /// <summary>Makes every record appended since the last commit durable with one fsync; returns how many blocks that covered.</summary>
    public long Commit()
    {
        Writer.Sync();
        Fsyncs++;
        long covered = _uncommittedBlocks;
        BlocksCommitted += covered;
        _uncommittedBlocks = 0;
        CommittedHeight = Height;
        return covered;
    }

    /// <summary>Reads block <paramref name="number"/>, with its certificate if one was stored.</summary>
    /// <exception cref="LedgerCorruptException">The record read back does not match its checksum.</exception>
    public Block Read(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(number, Height);
        _writer?.Flush();
        Block block = CanonicalEncoding.Decode(ReadPayload(_blocks[(int)number], number).Span[1..], Block.ReadFrom);
        if (_certificates.TryGetValue(number, out RecordLocation location))
        {
            ReadOnlyMemory<byte> payload = ReadPayload(location, number);
            block = block with { Certificate = CanonicalEncoding.Decode(payload.Span[9..], BlockCertificate.ReadFrom) };
        }

        return block;
    }

    /// <inheritdoc />
    public void Dispose() => _writer?.Dispose();

    /// <summary>The record payload of a block (kind byte, header, body), encoded into an array of exactly its size.</summary>
    internal static byte[] BlockPayload(Block block)
    {
        byte[] payload = new byte[BlockPayloadSize(block)];
        WriteBlockPayload(block, payload, payload.Length);
        return payload;
    }

    private static int BlockPayloadSize(Block block) => 1 + BlockHeader.EncodedSize + EncodedSize(block.Body);

    // Writes the payload at the start of buffer (which may be longer); a size that disagrees with the encoding throws.
    private static void WriteBlockPayload(Block block, byte[] buffer, int size)
    {
        var output = new FixedBufferWriter(buffer);
        var writer = new CanonicalWriter(output);
        writer.WriteUInt8((byte)RecordKind.Block);
        block.WriteTo(ref writer);
        if (output.WrittenCount != size)
        {
            throw new InvalidOperationException($"block {block.Header.Number} encoded to {output.WrittenCount} bytes, {size} expected");
        }
    }

    private static int EncodedSize(BlockBody body)
    {
        int size = 8 + 4 + 4 + 4 + body.DecisionProof.Length;
        foreach (ReadOnlyMemory<byte> entry in body.Entries)
        {
            size += 4 + entry.Length;
        }

        foreach (ReadOnlyMemory<byte> result in body.Results)
        {
            size += 4 + result.Length;
        }

        return size;
    }

    /// <summary>A whole record (header and payload), as it is laid out on disk.</summary>
    internal static byte[] Record(byte[] payload)
    {
        byte[] record = new byte[RecordHeaderSize + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32.HashToUInt32(payload));
        payload.CopyTo(record, RecordHeaderSize);
        return record;
    }

    private IStorageFile Writer => _writer ?? throw new InvalidOperationException("the block store was opened read-only");

    private RecordLocation WriteRecord(ReadOnlySpan<byte> payload)
    {
        if (Writer.Length >= _options.MaxSegmentBytes)
        {
            // The finished segment is made durable now; commits only ever fsync the current one.
            Writer.Sync();
            Writer.Dispose();
            _writer = OpenSegment(_segments.Count);
        }

        Span<byte> header = stackalloc byte[RecordHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], Crc32.HashToUInt32(payload));
        IStorageFile writer = Writer;
        long offset = writer.Position;
        writer.Write(header);
        writer.Write(payload);
        return new RecordLocation(_segments.Count - 1, offset, payload.Length);
    }

    // The record is checked again on every read, not only when the store was opened: a disk can return other bytes
    // later (a flipped bit in the cache, a bad sector), and a block read here is executed, served and certified.
    private ReadOnlyMemory<byte> ReadPayload(RecordLocation location, long number)
    {
        byte[] record = new byte[RecordHeaderSize + location.Length];
        using (IStorageFile reader = _storage.Open(_segments[location.Segment], StorageOpenMode.Read))
        {
            reader.Position = location.Offset;
            reader.ReadExactly(record);
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != (uint)location.Length ||
            Crc32.HashToUInt32(record.AsSpan(RecordHeaderSize)) != BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(4)))
        {
            throw new LedgerCorruptException(_segments[location.Segment], number, $"checksum mismatch reading back the record at offset {location.Offset}");
        }

        return record.AsMemory(RecordHeaderSize);
    }

    private IStorageFile OpenSegment(int index)
    {
        string path = Path.Combine(_folder, $"segment-{index:D6}.log");
        if (index == _segments.Count)
        {
            _segments.Add(path);
        }

        bool created = !_storage.FileExists(path);
        IStorageFile stream = _storage.Open(path, StorageOpenMode.OpenOrCreate, 64 * 1024);
        if (created)
        {
            // The new segment's name must survive a crash as surely as the blocks fsynced into it.
            _storage.SyncDirectory(_folder);
        }

        stream.Position = stream.Length;
        return stream;
    }
}
