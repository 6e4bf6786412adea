using NSec.Cryptography;

namespace SmartChain.Core.Crypto;

/// <summary>
/// An Ed25519 signing key with its public key. The private part lives in libsodium-managed memory and is
/// wiped on <see cref="Dispose"/>. Create with <see cref="Generate"/>, <see cref="FromSeed"/> or
/// <see cref="KeyFile.Load"/>.
/// </summary>
public sealed class Ed25519KeyPair : IDisposable
{
    private readonly Key _key;
    private bool _disposed;

    private Ed25519KeyPair(Key key)
    {
        _key = key;
        PublicKey = new Ed25519PublicKey(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public key.</summary>
    public Ed25519PublicKey PublicKey { get; }

    /// <summary>A new key pair from the operating system's random generator.</summary>
    public static Ed25519KeyPair Generate() =>
        new(Key.Create(Ed25519.Algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>The key pair whose RFC 8032 private key (seed) is <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Ed25519.SeedSize)
        {
            throw new ArgumentException($"an Ed25519 seed is {Ed25519.SeedSize} bytes, got {seed.Length}", nameof(seed));
        }

        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        return new Ed25519KeyPair(Key.Import(Ed25519.Algorithm, seed, KeyBlobFormat.RawPrivateKey, in parameters));
    }

    /// <summary>Signs <paramref name="data"/> into <paramref name="signature"/> (64 bytes).</summary>
    public void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Ed25519.Algorithm.Sign(_key, data, signature);
    }

    /// <summary>Signs <paramref name="data"/> into a new 64-byte array.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data)
    {
        byte[] signature = new byte[Ed25519.SignatureSize];
        Sign(data, signature);
        return signature;
    }

    /// <summary>The 32-byte seed, for writing a key file. The caller must wipe it after use.</summary>
    internal byte[] ExportSeed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _key.Export(KeyBlobFormat.RawPrivateKey);
    }

    /// <summary>Wipes the private key.</summary>
    public void Dispose()
    {
        _disposed = true;
        _key.Dispose();
    }
}
