using System.Buffers;

namespace SmartChain.Core.Encoding;

/// <summary>Helpers to encode whole values into arrays.</summary>
public static class CanonicalEncoding
{
    /// <summary>Delegate that writes one value.</summary>
    public delegate void Encoder<in T>(ref CanonicalWriter writer, T value);

    /// <summary>Delegate that reads one value.</summary>
    public delegate T Decoder<out T>(ref CanonicalReader reader);

    /// <summary>Encodes <paramref name="value"/> into a new array.</summary>
    public static byte[] ToArray<T>(T value, Encoder<T> encode)
    {
        ArgumentNullException.ThrowIfNull(encode);
        var buffer = new ArrayBufferWriter<byte>(256);
        var writer = new CanonicalWriter(buffer);
        encode(ref writer, value);
        return buffer.WrittenSpan.ToArray();
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
