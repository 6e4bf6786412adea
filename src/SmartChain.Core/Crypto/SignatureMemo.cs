using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace SmartChain.Core.Crypto;

/// <summary>
/// Signatures already found valid on this thread, so that verifying the same key, bytes and signature again costs a
/// lookup instead of a curve operation. Off unless a caller installs one with <see cref="Use"/>: only the whole-replica
/// simulator does, where four replicas, their clients and the after-run ledger checks share one thread and verify the
/// same signature up to a dozen times (a replica's vote by every peer, a block certificate by every replica, every
/// client and every ledger replay), which made signature checks most of a simulated seed's CPU.
/// </summary>
/// <remarks>
/// Verification is a pure function of (key, data, signature). Only triples libsodium accepted are remembered, and a
/// lookup compares the key and the data byte for byte, so an answer from the memo is exactly the one libsodium would
/// give: an invalid signature, or a valid one presented with other bytes or another key, still goes to libsodium and
/// fails there. The memo is thread-static, so work that runs on another thread simply does not use it.
/// </remarks>
public sealed class SignatureMemo
{
    [ThreadStatic]
    private static SignatureMemo? t_current;

    // Signature -> the key and data it was found valid for (key first, then data).
    private readonly Dictionary<SignatureBytes, byte[]> _valid = [];

    /// <summary>The memo installed on this thread, if any.</summary>
    internal static SignatureMemo? Current => t_current;

    /// <summary>Verifications answered from the memo.</summary>
    public long Hits { get; private set; }

    /// <summary>Verifications that went to libsodium while the memo was installed.</summary>
    public long Misses { get; private set; }

    /// <summary>Installs <paramref name="memo"/> on this thread until the returned scope is disposed.</summary>
    public static Scope Use(SignatureMemo memo)
    {
        ArgumentNullException.ThrowIfNull(memo);
        SignatureMemo? previous = t_current;
        t_current = memo;
        return new Scope(previous);
    }

    internal bool Contains(Ed25519PublicKey publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (_valid.TryGetValue(new SignatureBytes(signature), out byte[]? signed) && Matches(signed, publicKey, data))
        {
            Hits++;
            return true;
        }

        Misses++;
        return false;
    }

    internal void Add(Ed25519PublicKey publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        byte[] signed = new byte[Ed25519PublicKey.Size + data.Length];
        publicKey.CopyTo(signed);
        data.CopyTo(signed.AsSpan(Ed25519PublicKey.Size));
        _valid[new SignatureBytes(signature)] = signed;
    }

    private static bool Matches(byte[] signed, Ed25519PublicKey publicKey, ReadOnlySpan<byte> data)
    {
        if (signed.Length != Ed25519PublicKey.Size + data.Length)
        {
            return false;
        }

        Span<byte> key = stackalloc byte[Ed25519PublicKey.Size];
        publicKey.CopyTo(key);
        return signed.AsSpan(0, Ed25519PublicKey.Size).SequenceEqual(key) && signed.AsSpan(Ed25519PublicKey.Size).SequenceEqual(data);
    }

    /// <summary>Puts back whatever memo was installed before <see cref="Use"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly SignatureMemo? _previous;

        internal Scope(SignatureMemo? previous) => _previous = previous;

        /// <inheritdoc />
        public void Dispose() => t_current = _previous;
    }

    // The 64 signature bytes as a value key; a valid signature's bytes are as good as random, so the first word hashes.
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct SignatureBytes : IEquatable<SignatureBytes>
    {
        private readonly ulong _a, _b, _c, _d, _e, _f, _g, _h;

        public SignatureBytes(ReadOnlySpan<byte> signature)
        {
            _a = BinaryPrimitives.ReadUInt64LittleEndian(signature);
            _b = BinaryPrimitives.ReadUInt64LittleEndian(signature[8..]);
            _c = BinaryPrimitives.ReadUInt64LittleEndian(signature[16..]);
            _d = BinaryPrimitives.ReadUInt64LittleEndian(signature[24..]);
            _e = BinaryPrimitives.ReadUInt64LittleEndian(signature[32..]);
            _f = BinaryPrimitives.ReadUInt64LittleEndian(signature[40..]);
            _g = BinaryPrimitives.ReadUInt64LittleEndian(signature[48..]);
            _h = BinaryPrimitives.ReadUInt64LittleEndian(signature[56..]);
        }

        public bool Equals(SignatureBytes other) =>
            _a == other._a && _b == other._b && _c == other._c && _d == other._d &&
            _e == other._e && _f == other._f && _g == other._g && _h == other._h;

        public override bool Equals(object? obj) => obj is SignatureBytes other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(_a, _h);
    }
}
