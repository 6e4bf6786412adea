using System.Buffers;

namespace SmartChain.Core.Encoding;

/// <summary>Helpers to encode whole values into arrays.</summary>
public static class CanonicalEncoding
{
    /// <summary>Delegate that writes one value.</summary>
    public delegate void Encoder<in T>(ref CanonicalWriter writer, T value);

    /// <summary>Delegate that reads one value.</summary>
    public delegate T Decoder<out T>(ref CanonicalReader reader);

    /// <summary>Largest scratch buffer a thread keeps between calls of <see cref="ToArray{T}"/> (a block's bytes are not kept).</summary>
    public const int MaxKeptScratchBytes = 64 * 1024;

    // Each thread's scratch buffer: a value is encoded into it, then copied out into an array of its exact size. A new
    // growing buffer per call (256 B, doubled until the value fits) cost about three times the value's size in garbage,
    // on every receipt, reply and message. Taken out of the slot while in use, so a nested call (an encoder that
    // encodes a part with ToArray) gets a buffer of its own rather than overwriting its caller's.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    /// <summary>Encodes <paramref name="value"/> into a new array of its exact size.</summary>
    public static byte[] ToArray<T>(T value, Encoder<T> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        ArrayBufferWriter<byte> buffer = t_scratch ?? new ArrayBufferWriter<byte>(256);
        t_scratch = null;
        try
        {
            var writer = new CanonicalWriter(buffer);
            encode(ref writer, value);
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            if (buffer.Capacity <= MaxKeptScratchBytes)
            {
                buffer.ResetWrittenCount();
                t_scratch = buffer;
            }
        }
    }

    /// <summary>
    /// Decodes exactly one value from <paramref name="input"/>; trailing bytes are an error.
    /// </summary>
    /// <exception cref="EncodingException">The input is not one canonical value.</exception>
    public static T Decode<T>(ReadOnlySpan<byte> input, Decoder<T> decode)
    {
        ArgumentNullException.ThrowIfNull(decode);
        var reader = new CanonicalReader(input);
        T value = decode(ref reader);
        reader.EnsureEnd();
        return value;
    }

    /// <summary>Like <see cref="Decode{T}"/>, but reports failure instead of throwing.</summary>
    public static bool TryDecode<T>(ReadOnlySpan<byte> input, Decoder<T> decode, out T? value, out EncodingException? error)
    {
        try
        {
            value = Decode(input, decode);
            error = null;
            return true;
        }
        catch (EncodingException e)
        {
            value = default;
            error = e;
            return false;
        }
    }
}
