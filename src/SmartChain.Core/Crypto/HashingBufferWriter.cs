using System.Buffers;
using System.Security.Cryptography;
using SmartChain.Core.IO;

namespace SmartChain.Core.Crypto;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that feeds SHA-256 instead of keeping the bytes: hashes a canonical encoding
/// of any size (a snapshot, say) in constant memory, optionally writing the same bytes to a file as it goes.
/// </summary>
public sealed class HashingBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly IStorageFile? _copyTo;
    private byte[] _buffer;
    private int _used;

    /// <summary>Creates a writer with a staging buffer of <paramref name="bufferSize"/> bytes.</summary>
    public HashingBufferWriter(int bufferSize = 64 * 1024) => _buffer = new byte[bufferSize];

    /// <summary>
    /// Creates a writer that also writes every byte to <paramref name="copyTo"/>, staged <paramref name="bufferSize"/>
    /// bytes at a time: a snapshot is written and hashed without ever being held whole in memory.
    /// </summary>
    public HashingBufferWriter(IStorageFile copyTo, int bufferSize = 64 * 1024)
        : this(bufferSize)
    {
        ArgumentNullException.ThrowIfNull(copyTo);
        _copyTo = copyTo;
    }

    /// <summary>Total bytes hashed so far.</summary>
    public long BytesWritten { get; private set; }

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _used);
        _used += count;
        BytesWritten += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int at = Reserve(sizeHint); // first: it may replace the buffer
        return _buffer.AsMemory(at);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        int at = Reserve(sizeHint); // first: it may replace the buffer
        return _buffer.AsSpan(at);
    }

    /// <summary>The SHA-256 of every byte written (and, with a file to copy to, every byte handed to it).</summary>
    public Hash256 GetHash()
    {
        Flush();
        Span<byte> digest = stackalloc byte[Hash256.Size];
        _sha.GetCurrentHash(digest);
        return new Hash256(digest);
    }

    /// <inheritdoc />
    public void Dispose() => _sha.Dispose();

    private int Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _used < needed)
        {
            Flush();
            if (needed > _buffer.Length)
            {
                _buffer = new byte[needed]; // one write larger than the staging buffer (a large field): rare, so no pooling
            }
        }

        return _used;
    }

    private void Flush()
    {
        _sha.AppendData(_buffer, 0, _used);
        _copyTo?.Write(_buffer.AsSpan(0, _used));
        _used = 0;
    }
}
