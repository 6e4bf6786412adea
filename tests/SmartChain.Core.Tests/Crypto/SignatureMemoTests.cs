using SmartChain.Core.Crypto;

namespace SmartChain.Core.Tests.Crypto;

// The simulator's memo of valid signatures must give exactly libsodium's answers: it may only skip the curve for a
// triple already found valid, never accept anything libsodium would reject.
public class SignatureMemoTests
{
    private static readonly byte[] Data = [1, 2, 3, 4, 5];

    [Fact]
    public void A_valid_signature_is_remembered_and_answered_from_the_memo_the_second_time()
    {
        using Ed25519KeyPair pair = Ed25519KeyPair.FromSeed(new byte[32]);
        byte[] signature = pair.Sign(Data);
        var memo = new SignatureMemo();
        using (SignatureMemo.Use(memo))
        {
            Assert.True(Ed25519.Verify(pair.PublicKey, Data, signature));
            Assert.True(Ed25519.Verify(pair.PublicKey, Data, signature));
        }

        Assert.Equal(1, memo.Misses);
        Assert.Equal(1, memo.Hits);
    }

    [Fact]
    public void A_remembered_signature_with_other_bytes_another_key_or_a_flipped_bit_still_fails()
    {
        using Ed25519KeyPair pair = Ed25519KeyPair.FromSeed(new byte[32]);
        using Ed25519KeyPair other = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)9, 32).ToArray());
        byte[] signature = pair.Sign(Data);
        byte[] flipped = (byte[])signature.Clone();
        flipped[10] ^= 1;
        var memo = new SignatureMemo();
        using (SignatureMemo.Use(memo))
        {
            Assert.True(Ed25519.Verify(pair.PublicKey, Data, signature));
            Assert.False(Ed25519.Verify(pair.PublicKey, [1, 2, 3, 4, 6], signature));
            Assert.False(Ed25519.Verify(pair.PublicKey, [1, 2, 3, 4], signature));
            Assert.False(Ed25519.Verify(other.PublicKey, Data, signature));
            Assert.False(Ed25519.Verify(pair.PublicKey, Data, flipped));
            Assert.False(Ed25519.Verify(pair.PublicKey, Data, flipped)); // an invalid triple is never remembered
        }

        Assert.Equal(0, memo.Hits);
    }

    [Fact]
    public void The_memo_is_used_only_on_its_thread_and_only_inside_its_scope()
    {
        using Ed25519KeyPair pair = Ed25519KeyPair.FromSeed(new byte[32]);
        byte[] signature = pair.Sign(Data);
        var memo = new SignatureMemo();
        using (SignatureMemo.Use(memo))
        {
            Assert.True(Ed25519.Verify(pair.PublicKey, Data, signature));
            bool validElsewhere = false;
            var elsewhere = new Thread(() => validElsewhere = Ed25519.Verify(pair.PublicKey, Data, signature));
            elsewhere.Start();
            elsewhere.Join();
            Assert.True(validElsewhere);
        }

        Assert.True(Ed25519.Verify(pair.PublicKey, Data, signature));
        Assert.Equal(1, memo.Misses);
        Assert.Equal(0, memo.Hits);
    }
}
