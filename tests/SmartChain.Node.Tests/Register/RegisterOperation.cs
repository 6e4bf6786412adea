using System.Buffers;
using SmartChain.Core.Encoding;

namespace SmartChain.Node.Tests.Register;

/// <summary>
/// The key-value register's wire formats, all canonical (little-endian, length-prefixed):
/// a PUT is <c>u8 1 · string key · bytes value</c>; its result <c>u8 code · u64 version</c>; a GET query
/// <c>u8 1 · string key</c>; its answer <c>u64 version · bytes value</c> (version 0, no bytes: never written).
/// </summary>
public static class RegisterOperation
{
    /// <summary>The one operation kind (never 0xFF, which starts the platform's system operations).</summary>
    public const byte Put = 1;

    /// <summary>Longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 64;

    /// <summary>Longest value.</summary>
    public const int MaxValueBytes = 256;

    /// <summary>Result code of a PUT that was applied.</summary>
    public const byte Ok = 0;

    /// <summary>Result code of an operation that does not decode (the state is left as it was).</summary>
    public const byte Malformed = 1;

    /// <summary>A PUT of <paramref name="value"/> under <paramref name="key"/>.</summary>
    public static byte[] EncodePut(string key, ReadOnlySpan<byte> value)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + key.Length + value.Length);
        var w = new CanonicalWriter(buffer);
        w.WriteUInt8(Put);
        w.WriteString(key, MaxKeyBytes);
        w.WriteBytes(value, MaxValueBytes);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a PUT.</summary>
    /// <exception cref="EncodingException">Not one canonical PUT.</exception>
    public static (string Key, byte[] Value) DecodePut(ReadOnlySpan<byte> operation)
    {
        var r = new CanonicalReader(operation);
        if (r.ReadUInt8() != Put)
        {
            throw new EncodingException(0, "not a register PUT");
        }

        string key = r.ReadString(MaxKeyBytes);
        byte[] value = r.ReadBytesToArray(MaxValueBytes);
        r.EnsureEnd();
        return (key, value);
    }

    /// <summary>A PUT's result.</summary>
    public static byte[] EncodeResult(byte code, ulong version)
    {
        var buffer = new ArrayBufferWriter<byte>(9);
        var w = new CanonicalWriter(buffer);
        w.WriteUInt8(code);
        w.WriteUInt64(version);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a PUT's result.</summary>
    public static (byte Code, ulong Version) DecodeResult(ReadOnlySpan<byte> result)
    {
        var r = new CanonicalReader(result);
        (byte code, ulong version) = (r.ReadUInt8(), r.ReadUInt64());
        r.EnsureEnd();
        return (code, version);
    }

    /// <summary>A GET of <paramref name="key"/>.</summary>
    public static byte[] EncodeGet(string key)
    {
        var buffer = new ArrayBufferWriter<byte>(8 + key.Length);
        var w = new CanonicalWriter(buffer);
        w.WriteUInt8(Put);
        w.WriteString(key, MaxKeyBytes);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a GET.</summary>
    /// <exception cref="EncodingException">Not one canonical GET.</exception>
    public static string DecodeGet(ReadOnlySpan<byte> query)
    {
        var r = new CanonicalReader(query);
        if (r.ReadUInt8() != Put)
        {
            throw new EncodingException(0, "not a register GET");
        }

        string key = r.ReadString(MaxKeyBytes);
        r.EnsureEnd();
        return key;
    }

    /// <summary>A GET's answer.</summary>
    public static byte[] EncodeAnswer(ulong version, ReadOnlySpan<byte> value)
    {
        var buffer = new ArrayBufferWriter<byte>(16 + value.Length);
        var w = new CanonicalWriter(buffer);
        w.WriteUInt64(version);
        w.WriteBytes(value, MaxValueBytes);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a GET's answer.</summary>
    public static (ulong Version, byte[] Value) DecodeAnswer(ReadOnlySpan<byte> answer)
    {
        var r = new CanonicalReader(answer);
        ulong version = r.ReadUInt64();
        byte[] value = r.ReadBytesToArray(MaxValueBytes);
        r.EnsureEnd();
        return (version, value);
    }
}
