using System.Buffers;
using System.Security.Cryptography;

namespace SmartChain.Core.Crypto;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that feeds SHA-256 instead of keeping the bytes: hashes a canonical encoding
/// of any size (a snapshot, say) in constant memory.
/// </summary>
public sealed class HashingBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer;
    private int _used;

    /// <summary>Creates a writer with a staging buffer of <paramref name="bufferSize"/> bytes.</summary>
    public HashingBufferWriter(int bufferSize = 64 * 1024) => _buffer = new byte[bufferSize];

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
    public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(Reserve(sizeHint));

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(Reserve(sizeHint));

    /// <summary>The SHA-256 of every byte written.</summary>
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
        if (needed > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeHint), $"a single write of {sizeHint} bytes exceeds the {_buffer.Length}-byte buffer");
        }

        if (_buffer.Length - _used < needed)
        {
            Flush();
        }

        return _used;
    }

    private void Flush()
    {
        _sha.AppendData(_buffer, 0, _used);
        _used = 0;
    }
}
