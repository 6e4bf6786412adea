using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using SmartChain.Core.Crypto;

namespace SmartChain.Reconfiguration.Keys;

/// <summary>
/// A replica's forward-secure chain of per-view signing keys (SPEC §5). From a random seed s₀, each seed derives the next,
/// s_{i+1} = SHA-256("SmartChain key chain v1 next" ‖ s_i), and signing key i is the Ed25519 key whose seed is
/// SHA-256("SmartChain key chain v1 sign" ‖ s_i). The chain's public keys are published once (genesis, or the JOIN
/// request) and committed by a Merkle root in the replica's identity. Only the oldest seed still needed is kept; erasing
/// up to index k overwrites it in place with s_k, from which no earlier seed or key can be computed (SHA-256 is one-way).
/// So once a replica has moved past view v, nothing it holds, in memory or on disk, can sign for view v.
/// </summary>
/// <remarks>
/// File layout (fixed size, so erasure overwrites the same bytes): <c>4 B "SCKC" · u8 version 1 · i32 length ·
/// length × 32 B public keys · slot A · slot B</c>, each slot <c>i32 index (−1: empty) · 32 B seed · u32 CRC-32 of the
/// two</c>. Advancing writes the new seed into the other slot and fsyncs, then zeroes the old slot and fsyncs, so a crash
/// at any point leaves at least one good slot (the newer one wins; a leftover older one is erased on open). Thread-safe.
/// </remarks>
public sealed class ViewKeyChain : IDisposable
{
    /// <summary>
    /// Keys in a new chain unless chosen otherwise: a member takes part in this many views (joins and leaves of others)
    /// before it must leave and join again with a fresh chain. 128 keys are 4 KiB of public keys in a JOIN request.
    /// </summary>
    public const int DefaultLength = 128;

    /// <summary>The file name <c>testnet init</c> and <c>node join</c> give a replica's key chain in its home.</summary>
    public const string DefaultFileName = "keychain.bin";

    private const byte Version = 1;
    private const int SlotBytes = 4 + 32 + 4;
    private static ReadOnlySpan<byte> Magic => "SCKC"u8;
    private static ReadOnlySpan<byte> NextLabel => "SmartChain key chain v1 next"u8;
    private static ReadOnlySpan<byte> SignLabel => "SmartChain key chain v1 sign"u8;

    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Ed25519KeyPair> _keys = [];
    private readonly byte[] _seed = GC.AllocateArray<byte>(32, pinned: true); // pinned: the GC never leaves a copy behind
    private int _slot;

    private ViewKeyChain(string path, Ed25519PublicKey[] publicKeys, int position, int slot)
    {
        _path = path;
        PublicKeys = publicKeys;
        Position = position;
        _slot = slot;
    }

    /// <summary>The chain's public keys, key i first used in the i-th view of this replica's membership.</summary>
    public IReadOnlyList<Ed25519PublicKey> PublicKeys { get; }

    /// <summary>Number of keys.</summary>
    public int Length => PublicKeys.Count;

    /// <summary>Index of the oldest key this chain can still produce; <see cref="Length"/> once everything is erased.</summary>
    public int Position { get; private set; }

    /// <summary>Creates a new chain of <paramref name="length"/> keys in a new file (mode 0600, fsynced).</summary>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    public static ViewKeyChain Create(string path, int length)
    {
        byte[] seed = GC.AllocateArray<byte>(32, pinned: true);
        try
        {
            RandomNumberGenerator.Fill(seed);
            return CreateFromSeed(path, length, seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Creates a chain from a given first seed s₀ (32 bytes): for the whole-replica simulator, whose runs must replay
    /// from their seed. Anything else uses <see cref="Create"/>: a chain whose s₀ is known to someone else is no secret.
    /// </summary>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    public static ViewKeyChain CreateFromSeed(string path, int length, ReadOnlySpan<byte> firstSeed)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Core.Views.KeyChainCommitment.MaxLength);
        ArgumentOutOfRangeException.ThrowIfNotEqual(firstSeed.Length, 32);
        byte[] seed = GC.AllocateArray<byte>(32, pinned: true);
        try
        {
            firstSeed.CopyTo(seed);
            var publicKeys = new Ed25519PublicKey[length];
            byte[] s = GC.AllocateArray<byte>(32, pinned: true);
            seed.CopyTo(s, 0);
            for (int i = 0; i < length; i++)
            {
                using Ed25519KeyPair pair = SigningKey(s);
                publicKeys[i] = pair.PublicKey;
                Next(s);
            }

            CryptographicOperations.ZeroMemory(s);
            byte[] file = new byte[HeaderBytes(length) + (2 * SlotBytes)];
            WriteHeader(file, publicKeys);
            WriteSlot(file.AsSpan(HeaderBytes(length), SlotBytes), 0, seed);
            WriteSlot(file.AsSpan(HeaderBytes(length) + SlotBytes, SlotBytes), -1, default);
            try
            {
                Core.IO.DurableFile.WriteNew(path, file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(file);
            }

            var chain = new ViewKeyChain(path, publicKeys, 0, 0);
            seed.CopyTo(chain._seed, 0);
            return chain;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Opens a chain file written by <see cref="Create"/>.</summary>
    /// <exception cref="InvalidDataException">Not a key-chain file, or both slots are damaged; the message says why.</exception>
    public static ViewKeyChain Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot read the key chain {path}: {e.Message}", e);
        }

        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                throw new InvalidDataException($"the key chain {path} is accessible by other users; restrict it with 'chmod 600 {path}'");
            }

            if (file.Length < Magic.Length + 5 || !file.AsSpan(0, 4).SequenceEqual(Magic) || file[4] != Version)
            {
                throw new InvalidDataException($"{path} is not a SmartChain key chain (version {Version})");
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(5));
            if (length < 1 || length > Core.Views.KeyChainCommitment.MaxLength || file.Length != HeaderBytes(length) + (2 * SlotBytes))
            {
                throw new InvalidDataException($"the key chain {path} has a damaged header ({file.Length} bytes for {length} keys)");
            }

            var publicKeys = new Ed25519PublicKey[length];
            for (int i = 0; i < length; i++)
            {
                publicKeys[i] = new Ed25519PublicKey(file.AsSpan(9 + (i * 32), 32));
            }

            int? a = ReadSlot(file.AsSpan(HeaderBytes(length), SlotBytes), out Span<byte> seedA);
            int? b = ReadSlot(file.AsSpan(HeaderBytes(length) + SlotBytes, SlotBytes), out Span<byte> seedB);
            bool erased = a == -1 && b == -1;
            if (a is null && b is null)
            {
                throw new InvalidDataException($"the key chain {path}: both seed slots are damaged; this replica can no longer sign");
            }

            int slot = (b ?? -1) > (a ?? -1) ? 1 : 0;
            int? chosen = slot == 0 ? a : b;
            if (!erased && (chosen is not >= 0 || chosen > length))
            {
                // One slot damaged and the other empty (or an index past the chain): no seed is left to sign with.
                throw new InvalidDataException($"the key chain {path}: no seed slot holds a usable seed (one is damaged); this replica can no longer sign");
            }

            int position = erased ? length : slot == 0 ? a!.Value : b!.Value;
            var chain = new ViewKeyChain(path, publicKeys, position, slot);
            if (!erased)
            {
                (slot == 0 ? seedA : seedB).CopyTo(chain._seed);
                if ((slot == 0 ? b : a) is >= 0)
                {
                    chain.Overwrite(1 - slot, -1, default); // a crash between the two writes of an advance left the older seed
                }
            }

            return chain;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(file);
        }
    }

    /// <summary>
    /// The signing key at <paramref name="index"/> (owned by the chain: disposed when erased). Derived on first use from
    /// the oldest kept seed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The key was erased (index below <see cref="Position"/>) or is beyond the chain.</exception>
    public Ed25519KeyPair KeyAt(int index)
    {
        lock (_gate)
        {
            if (index < Position || index >= Length)
            {
                throw new InvalidOperationException(index < Position
                    ? $"key {index} of this replica's key chain was erased (the chain now starts at key {Position})"
                    : $"this replica's key chain has {Length} keys; there is no key {index}");
            }

            if (_keys.TryGetValue(index, out Ed25519KeyPair? key))
            {
                return key;
            }

            byte[] s = GC.AllocateArray<byte>(32, pinned: true);
            try
            {
                _seed.CopyTo(s, 0);
                for (int i = Position; i < index; i++)
                {
                    Next(s);
                }

                key = SigningKey(s);
                if (key.PublicKey != PublicKeys[index])
                {
                    key.Dispose();
                    throw new InvalidOperationException($"key {index} derived from {_path} does not match its published public key: the file is damaged");
                }

                _keys[index] = key;
                return key;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(s);
            }
        }
    }

    /// <summary>
    /// Erases every key before <paramref name="index"/>, in memory and on disk (fsynced before it returns). Keys already
    /// erased stay erased; <paramref name="index"/> = <see cref="Length"/> erases everything.
    /// </summary>
    public void EraseBefore(int index)
    {
        lock (_gate)
        {
            index = Math.Min(index, Length);
            if (index <= Position)
            {
                return;
            }

            for (int i = Position; i < index; i++)
            {
                Next(_seed);
            }

            if (index >= Length)
            {
                CryptographicOperations.ZeroMemory(_seed);
                Overwrite(1 - _slot, -1, default);
                Overwrite(_slot, -1, default);
            }
            else
            {
                Overwrite(1 - _slot, index, _seed);
                Overwrite(_slot, -1, default);
                _slot = 1 - _slot;
            }

            Position = index;
            foreach (int stale in _keys.Keys.Where(k => k < index).ToList())
            {
                _keys.Remove(stale, out Ed25519KeyPair? key);
                key!.Dispose();
            }
        }
    }

    /// <summary>Wipes the keys and the seed from memory (the file keeps what it holds).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (Ed25519KeyPair key in _keys.Values)
            {
                key.Dispose();
            }

            _keys.Clear();
            CryptographicOperations.ZeroMemory(_seed);
        }
    }

    private void Overwrite(int slot, int index, ReadOnlySpan<byte> seed)
    {
        byte[] bytes = GC.AllocateArray<byte>(SlotBytes, pinned: true);
        try
        {
            WriteSlot(bytes, index, seed);
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.Read);
            stream.Position = HeaderBytes(Length) + (slot * SlotBytes);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static int HeaderBytes(int length) => 4 + 1 + 4 + (length * 32);

    private static void WriteHeader(Span<byte> file, Ed25519PublicKey[] keys)
    {
        Magic.CopyTo(file);
        file[4] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(file[5..], keys.Length);
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i].CopyTo(file.Slice(9 + (i * 32), 32));
        }
    }

    private static void WriteSlot(Span<byte> slot, int index, ReadOnlySpan<byte> seed)
    {
        slot.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(slot, index);
        if (index >= 0)
        {
            seed.CopyTo(slot[4..]);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(slot[36..], Crc32.HashToUInt32(slot[..36]));
    }

    // The slot's index (−1: empty), or null if its checksum fails.
    private static int? ReadSlot(Span<byte> slot, out Span<byte> seed)
    {
        seed = slot.Slice(4, 32);
        if (BinaryPrimitives.ReadUInt32LittleEndian(slot[36..]) != Crc32.HashToUInt32(slot[..36]))
        {
            return null;
        }

        int index = BinaryPrimitives.ReadInt32LittleEndian(slot);
        return index >= -1 ? index : null;
    }

    private static void Next(Span<byte> seed)
    {
        Span<byte> input = stackalloc byte[NextLabel.Length + 32];
        NextLabel.CopyTo(input);
        seed.CopyTo(input[NextLabel.Length..]);
        SHA256.HashData(input, seed);
        CryptographicOperations.ZeroMemory(input);
    }

    private static Ed25519KeyPair SigningKey(ReadOnlySpan<byte> seed)
    {
        Span<byte> input = stackalloc byte[SignLabel.Length + 32];
        Span<byte> keySeed = stackalloc byte[32];
        try
        {
            SignLabel.CopyTo(input);
            seed.CopyTo(input[SignLabel.Length..]);
            SHA256.HashData(input, keySeed);
            return Ed25519KeyPair.FromSeed(keySeed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
            CryptographicOperations.ZeroMemory(keySeed);
        }
    }
}
