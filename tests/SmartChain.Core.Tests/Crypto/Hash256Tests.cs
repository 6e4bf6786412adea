using SmartChain.Core.Crypto;

namespace SmartChain.Core.Tests.Crypto;

public class Hash256Tests
{
    [Fact]
    public void Sha256_of_abc_matches_FIPS_180_2()
    {
        Hash256 h = Hash256.Compute("abc"u8);
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", h.ToString());
    }

    [Fact]
    public void Hex_round_trips_and_bad_hex_is_refused()
    {
        Hash256 h = Hash256.Compute("x"u8);
        Assert.Equal(h, Hash256.Parse(h.ToString()));
        Assert.False(Hash256.TryParse("zz", out _));
        Assert.False(Hash256.TryParse(new string('g', 64), out _));
        Assert.False(Hash256.TryParse(null, out _));
        Assert.Throws<FormatException>(() => Hash256.Parse("00"));
    }

    [Fact]
    public void Ordering_is_lexicographic_on_the_bytes()
    {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        a[0] = 1;
        b[31] = 0xFF;
        Assert.True(new Hash256(b) < new Hash256(a));
        Assert.True(Hash256.Zero.IsZero);
        Assert.Equal(a, new Hash256(a).ToArray());
    }

    [Fact]
    public void Prefix_is_the_first_8_bytes_big_endian_and_orders_as_the_hashes()
    {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++)
        {
            bytes[i] = (byte)(i + 1);
        }

        Assert.Equal(0x0102030405060708UL, new Hash256(bytes).Prefix);
        var random = new Random(3);
        for (int i = 0; i < 1_000; i++)
        {
            Hash256 a = Hash256.Compute(BitConverter.GetBytes(random.Next()));
            Hash256 b = Hash256.Compute(BitConverter.GetBytes(random.Next()));
            if (a.Prefix != b.Prefix)
            {
                Assert.Equal(a.Prefix < b.Prefix, a < b);
            }
        }
    }
}
