using SmartChain.Core.Crypto;

namespace SmartChain.Core.Tests.Crypto;

public class Ed25519Tests
{
    // RFC 8032 §7.1, TEST 1 to TEST 3: secret key (seed), public key, message, signature.
    public static TheoryData<string, string, string, string> Rfc8032Vectors => new()
    {
        {
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Signing_reproduces_the_RFC_8032_vectors(string seed, string publicKey, string message, string signature)
    {
        using Ed25519KeyPair pair = Ed25519KeyPair.FromSeed(Convert.FromHexString(seed));
        Assert.Equal(publicKey, pair.PublicKey.ToString());
        Assert.Equal(signature, Convert.ToHexStringLower(pair.Sign(Convert.FromHexString(message))));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Vectors))]
    public void Verification_accepts_the_RFC_8032_vectors_and_rejects_any_change(string seed, string publicKey, string message, string signature)
    {
        _ = seed;
        var key = Ed25519PublicKey.Parse(publicKey);
        byte[] msg = Convert.FromHexString(message);
        byte[] sig = Convert.FromHexString(signature);
        Assert.True(Ed25519.Verify(key, msg, sig));

        for (int i = 0; i < sig.Length; i++)
        {
            byte[] bad = [.. sig];
            bad[i] ^= 0x01;
            Assert.False(Ed25519.Verify(key, msg, bad), $"signature byte {i}");
        }

        Assert.False(Ed25519.Verify(key, [.. msg, 0], sig));
        Assert.False(Ed25519.Verify(key, msg, sig.AsSpan(0, 63)));
        using Ed25519KeyPair other = Ed25519KeyPair.Generate();
        Assert.False(Ed25519.Verify(other.PublicKey, msg, sig));
    }

    [Fact]
    public void A_key_that_is_not_a_curve_point_never_verifies()
    {
        var garbage = new Ed25519PublicKey(Enumerable.Repeat((byte)0xFF, 32).ToArray());
        Assert.False(Ed25519.Verify(garbage, "m"u8, new byte[64]));
    }

    [Fact]
    public void Generated_keys_sign_and_verify_and_differ()
    {
        using Ed25519KeyPair a = Ed25519KeyPair.Generate();
        using Ed25519KeyPair b = Ed25519KeyPair.Generate();
        Assert.NotEqual(a.PublicKey, b.PublicKey);
        Assert.True(Ed25519.Verify(a.PublicKey, "hello"u8, a.Sign("hello"u8)));
        Assert.Throws<ArgumentException>(() => Ed25519KeyPair.FromSeed(new byte[31]));
    }

    [Fact]
    public void A_disposed_key_refuses_to_sign()
    {
        Ed25519KeyPair pair = Ed25519KeyPair.Generate();
        pair.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pair.Sign("x"u8));
    }
}
