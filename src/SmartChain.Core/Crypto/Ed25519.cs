using NSec.Cryptography;

namespace SmartChain.Core.Crypto;

/// <summary>Ed25519 verification (RFC 8032) through libsodium, for keys held as raw bytes.</summary>
public static class Ed25519
{
    /// <summary>Size of a signature in bytes.</summary>
    public const int SignatureSize = 64;

    /// <summary>Size of a private key seed in bytes.</summary>
    public const int SeedSize = 32;

    internal static SignatureAlgorithm Algorithm => SignatureAlgorithm.Ed25519;

    /// <summary>
    /// True if <paramref name="signature"/> is a valid signature of <paramref name="data"/> by
    /// <paramref name="publicKey"/>. A signature of the wrong length, or a key that is not a curve point, is
    /// simply invalid. With a <see cref="SignatureMemo"/> installed on this thread (the whole-replica simulator), a
    /// triple already found valid is answered from it.
    /// </summary>
    public static bool Verify(Ed25519PublicKey publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureSize)
        {
            return false;
        }

        SignatureMemo? memo = SignatureMemo.Current;
        if (memo is null)
        {
            return VerifyCore(publicKey, data, signature);
        }

        if (memo.Contains(publicKey, data, signature))
        {
            return true;
        }

        bool valid = VerifyCore(publicKey, data, signature);
        if (valid)
        {
            memo.Add(publicKey, data, signature);
        }

        return valid;
    }

    private static bool VerifyCore(Ed25519PublicKey publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> raw = stackalloc byte[Ed25519PublicKey.Size];
        publicKey.CopyTo(raw);
        if (!PublicKey.TryImport(Algorithm, raw, KeyBlobFormat.RawPublicKey, out PublicKey? key) || key is null)
        {
            return false;
        }

        return Algorithm.Verify(key, data, signature);
    }
}
