using System.Buffers;
using CsCheck;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Tests.Encoding;

public class CanonicalEncodingTests
{
    private sealed record Sample(byte U8, bool Flag, ushort U16, uint U32, int I32, ulong U64, long I64, byte[] Bytes, string Text, long[] Items);

    private const int MaxBytes = 300;
    private const int MaxText = 200;
    private const int MaxItems = 20;

    private static readonly Gen<Sample> SampleGen =
        from u8 in Gen.Byte
        from flag in Gen.Bool
        from u16 in Gen.UShort
        from u32 in Gen.UInt
        from i32 in Gen.Int
        from u64 in Gen.ULong
        from i64 in Gen.Long
        from bytes in Gen.Byte.Array[0, MaxBytes]
        from text in Gen.String[Gen.Char, 0, 50]
        from items in Gen.Long.Array[0, MaxItems]
        select new Sample(u8, flag, u16, u32, i32, u64, i64, bytes, text, items);

    private static void Write(ref CanonicalWriter w, Sample s)
    {
        w.WriteUInt8(s.U8);
        w.WriteBool(s.Flag);
        w.WriteUInt16(s.U16);
        w.WriteUInt32(s.U32);
        w.WriteInt32(s.I32);
        w.WriteUInt64(s.U64);
        w.WriteInt64(s.I64);
        w.WriteBytes(s.Bytes, MaxBytes);
        w.WriteString(s.Text, MaxText);
        w.WriteCount(s.Items.Length, MaxItems);
        foreach (long item in s.Items)
        {
            w.WriteInt64(item);
        }
    }

    private static Sample Read(ref CanonicalReader r)
    {
        byte u8 = r.ReadUInt8();
        bool flag = r.ReadBool();
        ushort u16 = r.ReadUInt16();
        uint u32 = r.ReadUInt32();
        int i32 = r.ReadInt32();
        ulong u64 = r.ReadUInt64();
        long i64 = r.ReadInt64();
        byte[] bytes = r.ReadBytesToArray(MaxBytes);
        string text = r.ReadString(MaxText);
        long[] items = new long[r.ReadCount(MaxItems, 8)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = r.ReadInt64();
        }

        return new Sample(u8, flag, u16, u32, i32, u64, i64, bytes, text, items);
    }

    private static bool SameAs(Sample a, Sample b) =>
        a.U8 == b.U8 && a.Flag == b.Flag && a.U16 == b.U16 && a.U32 == b.U32 && a.I32 == b.I32 && a.U64 == b.U64 &&
        a.I64 == b.I64 && a.Bytes.AsSpan().SequenceEqual(b.Bytes) && a.Text == b.Text && a.Items.AsSpan().SequenceEqual(b.Items);

    // Strings with lone surrogates cannot round-trip through UTF-8 by design; keep generated text well formed.
    private static Sample WellFormed(Sample s) =>
        s with { Text = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(s.Text)) };

    [Fact]
    public void Random_values_round_trip_and_re_encode_to_the_same_bytes()
    {
        SampleGen.Select(WellFormed).Sample(s =>
        {
            byte[] encoded = CanonicalEncoding.ToArray(s, Write);
            Sample decoded = CanonicalEncoding.Decode(encoded, Read);
            return SameAs(s, decoded) && encoded.AsSpan().SequenceEqual(CanonicalEncoding.ToArray(decoded, Write));
        }, iter: 2000);
    }

    [Fact]
    public void Every_truncation_of_a_valid_encoding_is_rejected()
    {
        SampleGen.Select(WellFormed).Sample(s =>
        {
            byte[] encoded = CanonicalEncoding.ToArray(s, Write);
            for (int length = 0; length < encoded.Length; length++)
            {
                if (CanonicalEncoding.TryDecode(encoded.AsSpan(0, length), Read, out _, out EncodingException? error) ||
                    error is null || error.Offset > length)
                {
                    return false;
                }
            }

            return true;
        }, iter: 100);
    }

    [Fact]
    public void Trailing_bytes_are_rejected_with_their_offset()
    {
        var sample = new Sample(1, true, 2, 3, 4, 5, 6, [7], "x", [8]);
        byte[] encoded = [.. CanonicalEncoding.ToArray(sample, Write), 0];
        var e = Assert.Throws<EncodingException>(() => CanonicalEncoding.Decode(encoded, Read));
        Assert.Equal(encoded.Length - 1, e.Offset);
        Assert.Contains("trailing", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Integers_are_little_endian_and_fixed_width()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new CanonicalWriter(buffer);
        w.WriteUInt32(0x01020304);
        w.WriteInt64(-2);
        w.WriteBytes([0xAA], 10);
        Assert.Equal(
            Convert.FromHexString("04030201" + "FEFFFFFFFFFFFFFF" + "01000000AA"),
            buffer.WrittenSpan.ToArray());
        Assert.Equal(17, w.Written);
    }

    [Fact]
    public void A_length_above_the_callers_limit_is_rejected_before_reading_the_bytes()
    {
        byte[] input = [.. BitConverter.GetBytes(11u), .. new byte[11]];
        var e = Assert.Throws<EncodingException>(() => Decode(input, static (ref CanonicalReader r) => r.ReadBytes(10).Length));
        Assert.Equal(0, e.Offset);
        Assert.Contains("exceeds the limit of 10", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_length_prefix_is_rejected_without_allocating()
    {
        byte[] huge = [0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3];
        var e = Assert.Throws<EncodingException>(() => Decode(huge, static (ref CanonicalReader r) => r.ReadBytesToArray(int.MaxValue).Length));
        Assert.Contains("exceeds the limit", e.Reason, StringComparison.Ordinal);

        byte[] claimsMore = [0xE8, 0x03, 0, 0, 1, 2, 3];
        e = Assert.Throws<EncodingException>(() => Decode(claimsMore, static (ref CanonicalReader r) => r.ReadBytesToArray(int.MaxValue).Length));
        Assert.Contains("truncated input: needed 1000 bytes, 3 remain", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_count_above_the_limit_is_rejected()
    {
        byte[] input = [.. BitConverter.GetBytes(21u), .. new byte[21 * 8]];
        var e = Assert.Throws<EncodingException>(() => Decode(input, static (ref CanonicalReader r) => r.ReadCount(20, 8)));
        Assert.Contains("count 21 exceeds the limit of 20", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_count_that_the_remaining_bytes_cannot_fill_is_rejected()
    {
        byte[] input = [.. BitConverter.GetBytes(5u), .. new byte[39]];
        var e = Assert.Throws<EncodingException>(() => Decode(input, static (ref CanonicalReader r) => r.ReadCount(1000, 8)));
        Assert.Contains("needs at least 40 bytes, 39 remain", e.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(255)]
    public void A_boolean_other_than_0_or_1_is_rejected(byte value)
    {
        var e = Assert.Throws<EncodingException>(() => Decode([value], static (ref CanonicalReader r) => r.ReadBool()));
        Assert.Contains("must be 0 or 1", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_rejected()
    {
        byte[] input = [2, 0, 0, 0, 0xC3, 0x28];
        var e = Assert.Throws<EncodingException>(() => Decode(input, static (ref CanonicalReader r) => r.ReadString(10)));
        Assert.Contains("UTF-8", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_outside_the_allowed_range_is_rejected()
    {
        byte[] input = BitConverter.GetBytes(-1L);
        var e = Assert.Throws<EncodingException>(() => Decode(input, static (ref CanonicalReader r) => r.ReadInt64(0, 10)));
        Assert.Contains("outside 0..10", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writer_refuses_what_the_reader_would_refuse()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Throws<EncodingException>(() =>
        {
            var w = new CanonicalWriter(buffer);
            w.WriteBytes(new byte[11], 10);
        });
        Assert.Throws<EncodingException>(() =>
        {
            var w = new CanonicalWriter(buffer);
            w.WriteCount(21, 20);
        });
        Assert.Throws<EncodingException>(() =>
        {
            var w = new CanonicalWriter(buffer);
            w.WriteString("ééé", 5);
        });
        Assert.Equal(0, buffer.WrittenCount);
    }

    private static T Decode<T>(byte[] input, CanonicalEncoding.Decoder<T> decode) => CanonicalEncoding.Decode(input, decode);
}
