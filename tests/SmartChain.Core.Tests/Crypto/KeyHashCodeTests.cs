using System.Buffers.Binary;
using SmartChain.Core.Crypto;

namespace SmartChain.Core.Tests.Crypto;

/// <summary>
/// Hash codes of 32-byte keys must depend on all 32 bytes. Owner keys, client ids and request digests are chosen
/// (or ground) by clients; if they can share the bytes the hash code reads, every dictionary keyed by them turns
/// into one chain and each lookup on the execution thread costs O(n).
/// </summary>
public class KeyHashCodeTests
{
    private const int Keys = 1_000;

    // 1,000 random 32-bit codes collide with probability about 1e-4 (499,500 pairs / 2^32); a margin of 5 keeps the
    // test from ever flaking on an unlucky seed, while a fold that ignores the varying bytes gives one code for all.
    private const int MinDistinct = Keys - 5;

    public static TheoryData<int> VaryingWords => new() { 1, 2, 3 };

    [Theory]
    [MemberData(nameof(VaryingWords))]
    public void Keys_differing_only_after_the_first_8_bytes_get_distinct_hash_codes(int word)
    {
        var hashes = new HashSet<int>();
        var keys = new HashSet<int>();
        var bytes32 = new HashSet<int>();
        foreach (byte[] key in KeysSharingAllWordsBut(word))
        {
            hashes.Add(new Hash256(key).GetHashCode());
            keys.Add(new Ed25519PublicKey(key).GetHashCode());
            bytes32.Add(new Bytes32(key).GetHashCode());
        }

        Assert.True(bytes32.Count >= MinDistinct, $"Bytes32: {bytes32.Count} distinct hash codes for {Keys} keys varying only in word {word}");
        Assert.True(hashes.Count >= MinDistinct, $"Hash256: {hashes.Count} distinct hash codes for {Keys} keys varying only in word {word}");
        Assert.True(keys.Count >= MinDistinct, $"Ed25519PublicKey: {keys.Count} distinct hash codes for {Keys} keys varying only in word {word}");
    }

    // Keys built to collide under HashCode.Combine whatever its per-process seed is, so a seed alone is not enough:
    // the function must not have seed-independent collisions a client can compute offline.
    [Fact]
    public void Keys_colliding_under_every_HashCode_Combine_seed_get_distinct_hash_codes()
    {
        const uint Prime1 = 2654435761U;
        const uint Prime2 = 2246822519U;
        uint inverse = InverseMod2To32(Prime2);
        var equalHalves = new HashSet<int>();
        var laneDifferential = new HashSet<int>();
        for (uint j = 0; j < Keys; j++)
        {
            // HashCode.Combine(ulong, ...) hashes each ulong as its low half xor its high half: flipping the same
            // bits in both halves changes nothing.
            equalHalves.Add(Key(0x0123_4567_89AB_CDEFUL, j * 0x0000_0001_0000_0001UL, 0x5555_5555_6666_6666UL, 0x7777_7777_8888_8888UL).GetHashCode());

            // HashCode.Combine over eight ints feeds ints 0 and 4 to one lane, each as rotl(v + x * P2, 13) * P1.
            // Adding j / P2 to int 0 adds j << 13 times P1 to the lane (unless a carry crosses bit 18); subtracting
            // that over P2 from int 4 cancels it, for every seed.
            uint a = 0x1111_1111U + (j * inverse);
            uint b = 0x2222_2222U - (j * inverse * Prime1 * (1U << 13));
            laneDifferential.Add(Key(0xAAAA_AAAA_0000_0000UL | a, 0x3333_3333_4444_4444UL, 0x5555_5555_0000_0000UL | b, 0x7777_7777_8888_8888UL).GetHashCode());
        }

        Assert.True(equalHalves.Count >= MinDistinct, $"{equalHalves.Count} distinct hash codes for {Keys} keys whose word 1 has equal halves");
        Assert.True(laneDifferential.Count >= MinDistinct, $"{laneDifferential.Count} distinct hash codes for {Keys} keys built as an xxHash32 lane differential");
    }

    [Fact]
    public void Equal_keys_have_equal_hash_codes()
    {
        byte[] a = Hash256.Compute("k"u8).ToArray();
        byte[] b = (byte[])a.Clone();
        Assert.Equal(new Bytes32(a).GetHashCode(), new Bytes32(b).GetHashCode());
        Assert.Equal(new Hash256(a).GetHashCode(), new Hash256(b).GetHashCode());
        Assert.Equal(new Ed25519PublicKey(a).GetHashCode(), new Ed25519PublicKey(b).GetHashCode());
    }

    // Words as Bytes32 holds them: HashCode.Combine(ulong x 4) and the eight ints of HashCode.Combine(int x 8) are
    // the halves of these words, low half first.
    private static Bytes32 Key(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        byte[] key = new byte[Bytes32.Length];
        BinaryPrimitives.WriteUInt64BigEndian(key, w0);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(8), w1);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(16), w2);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(24), w3);
        return new Bytes32(key);
    }

    // Newton's iteration: each step doubles the correct low bits of the inverse of an odd number mod 2^32.
    private static uint InverseMod2To32(uint odd)
    {
        uint x = odd;
        for (int i = 0; i < 5; i++)
        {
            x *= 2 - (odd * x);
        }

        return x;
    }

    // Word 0 (bytes 0-7) fixed and non-zero; the chosen word counts 1..Keys, spread over its bytes by a
    // multiplier so no single byte carries the difference; the other words fixed.
    private static IEnumerable<byte[]> KeysSharingAllWordsBut(int word)
    {
        for (ulong i = 1; i <= Keys; i++)
        {
            byte[] key = new byte[Bytes32.Length];
            BinaryPrimitives.WriteUInt64BigEndian(key, 0x0123_4567_89AB_CDEFUL);
            for (int w = 1; w < 4; w++)
            {
                ulong value = w == word ? i * 0x9E37_79B9_7F4A_7C15UL : 0xFEDC_BA98_7654_3210UL + (ulong)w;
                BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(w * 8), value);
            }

            yield return key;
        }
    }
}
