using System.Buffers;
using SmartChain.Core;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin;

/// <summary>
/// The snapshot: the canonical encoding of the whole state, which checkpoints hash and state transfer ships.
/// <code>
/// u8 0x43 ('C') · u8 version 1 ·
/// u32 minter count · minters (32 B, strictly increasing) ·
/// u32 coin count · coins strictly increasing by id: 32 B id · 32 B owner · u64 value
/// </code>
/// Sorted, so the bytes depend only on the state, never on the order in which dictionaries were filled.
/// </summary>
public sealed partial class CoinApplication
{
    private const byte SnapshotTag = 0x43;
    private const byte SnapshotVersion = 1;
    private const int EncodedCoinSize = Hash256.Size + CoinOutput.EncodedSize;

    /// <inheritdoc />
    public void WriteSnapshot(IBufferWriter<byte> output)
    {
        CanonicalWriter writer = WriteMinters(output, _minters);
        _coins.WriteTo(ref writer);
    }

    /// <summary>
    /// Captures the state for a checkpoint: the minters copied (a handful), the coin table by copy-on-write
    /// (<see cref="CoinTable.Capture"/>: O(shards), 32 KB, whatever the number of coins). The view is sorted and encoded
    /// later, on whichever thread writes the snapshot.
    /// </summary>
    public IStateView CaptureState() => new CoinStateView([.. _minters], _coins.Capture());

    private sealed class CoinStateView(HashSet<Ed25519PublicKey> minters, CoinTableView coins) : IStateView
    {
        public void WriteSnapshot(IBufferWriter<byte> output)
        {
            CanonicalWriter writer = WriteMinters(output, minters);
            coins.WriteTo(ref writer);
        }
    }

    // The snapshot up to the coin count, which the coin table writes with its coins.
    private static CanonicalWriter WriteMinters(IBufferWriter<byte> output, HashSet<Ed25519PublicKey> minters)
    {
        var writer = new CanonicalWriter(output);
        writer.WriteUInt8(SnapshotTag);
        writer.WriteUInt8(SnapshotVersion);

        Ed25519PublicKey[] sortedMinters = [.. minters];
        Array.Sort(sortedMinters);
        writer.WriteCount(sortedMinters.Length, Limits.MaxMinters);
        foreach (Ed25519PublicKey minter in sortedMinters)
        {
            minter.WriteTo(ref writer);
        }

        return writer;
    }

    /// <inheritdoc />
    public void RestoreSnapshot(ReadOnlySpan<byte> snapshot)
    {
        var reader = new CanonicalReader(snapshot);
        int at = reader.Position;
        if (reader.ReadUInt8() != SnapshotTag)
        {
            throw new EncodingException(at, "not a SMaRtCoin snapshot (bad tag)");
        }

        at = reader.Position;
        byte version = reader.ReadUInt8();
        if (version != SnapshotVersion)
        {
            throw new EncodingException(at, $"snapshot version {version}; this build reads version {SnapshotVersion}");
        }

        var minters = new HashSet<Ed25519PublicKey>();
        int minterCount = reader.ReadCount(Limits.MaxMinters, Ed25519PublicKey.Size);
        Ed25519PublicKey previousMinter = default;
        for (int i = 0; i < minterCount; i++)
        {
            at = reader.Position;
            Ed25519PublicKey minter = Ed25519PublicKey.ReadFrom(ref reader);
            if (i > 0 && minter <= previousMinter)
            {
                throw new EncodingException(at, $"minter {i} is not in strictly increasing order");
            }

            minters.Add(minter);
            previousMinter = minter;
        }

        int coinCount = reader.ReadCount(int.MaxValue, EncodedCoinSize);
        var coins = new CoinTable(coinCount);
        Hash256 previousId = default;
        for (int i = 0; i < coinCount; i++)
        {
            at = reader.Position;
            Hash256 id = Hash256.ReadFrom(ref reader);
            if (i > 0 && id <= previousId)
            {
                throw new EncodingException(at, $"coin {i} ({id}) is not in strictly increasing id order");
            }

            coins.Add(id, new CoinOutput(Ed25519PublicKey.ReadFrom(ref reader), reader.ReadUInt64()));
            previousId = id;
        }

        reader.EnsureEnd();
        _minters = minters;
        _coins = coins;
        _owners.Rebuild(coins);
    }

    /// <summary>The snapshot as one array.</summary>
    public byte[] TakeSnapshot()
    {
        var buffer = new ArrayBufferWriter<byte>(16 + (_coins.Count * EncodedCoinSize) + (_minters.Count * Ed25519PublicKey.Size));
        WriteSnapshot(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// SHA-256 of the snapshot, streamed: equal states give equal hashes, whatever their history. O(n log n) in the
    /// number of coins; meant for checkpoints and audits, not for every block.
    /// </summary>
    public Hash256 ComputeStateHash()
    {
        using var hasher = new HashingBufferWriter();
        WriteSnapshot(hasher);
        return hasher.GetHash();
    }
}
