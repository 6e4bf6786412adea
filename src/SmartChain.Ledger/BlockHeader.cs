using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Ledger;

/// <summary>
/// A block header (SPEC §4.1), canonical encoding <c>u8 version 1 · i64 number · i64 lastReconfig · i64 lastCheckpoint ·
/// 32 B hashTransactions · 32 B hashResults · 32 B hashLastBlock</c>. Its SHA-256 is the block id, which certificates
/// sign and the next block links to. Nothing replica-specific is in it, so every correct replica computes the same id.
/// </summary>
public sealed record BlockHeader(long Number, long LastReconfig, long LastCheckpoint, Hash256 HashTransactions, Hash256 HashResults, Hash256 HashLastBlock)
{
    /// <summary>Header format version.</summary>
    public const byte Version = 1;

    /// <summary>Size of the encoding.</summary>
    public const int EncodedSize = 1 + 8 + 8 + 8 + (3 * Hash256.Size);

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[EncodedSize];
        var writer = new CanonicalWriter(new FixedBufferWriter(bytes));
        WriteTo(ref writer);
        return bytes;
    }

    /// <summary>Writes the canonical bytes.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        writer.WriteUInt8(Version);
        writer.WriteInt64(Number);
        writer.WriteInt64(LastReconfig);
        writer.WriteInt64(LastCheckpoint);
        HashTransactions.WriteTo(ref writer);
        HashResults.WriteTo(ref writer);
        HashLastBlock.WriteTo(ref writer);
    }

    /// <summary>Reads a header written by <see cref="WriteTo"/>.</summary>
    public static BlockHeader ReadFrom(ref CanonicalReader reader)
    {
        int at = reader.Position;
        byte version = reader.ReadUInt8();
        if (version != Version)
        {
            throw new EncodingException(at, $"block header version {version}; this build reads {Version}");
        }

        return new BlockHeader(reader.ReadInt64(0, long.MaxValue), reader.ReadInt64(0, long.MaxValue), reader.ReadInt64(0, long.MaxValue),
            Hash256.ReadFrom(ref reader), Hash256.ReadFrom(ref reader), Hash256.ReadFrom(ref reader));
    }

    /// <summary>SHA-256 of the encoding: the block id.</summary>
    public Hash256 Hash() => Hash256.Compute(Encode());
}
