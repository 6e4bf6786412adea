using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Ledger.Checkpoints;

/// <summary>
/// The one entry of a checkpoint block (SPEC §4.4): which state the snapshot holds (the state after block
/// <see cref="SnapshotBlock"/>), and the SHA-256 and size of the snapshot file. Encoding:
/// <c>4 B "SCCP" · u8 version 1 · i64 snapshot block · 32 B hash · i64 size</c>. The magic cannot start a client
/// request, so a checkpoint entry is never mistaken for one.
/// </summary>
public sealed record CheckpointRecord(long SnapshotBlock, Hash256 SnapshotHash, long SnapshotSize)
{
    /// <summary>Size of the encoding.</summary>
    public const int EncodedSize = 4 + 1 + 8 + Hash256.Size + 8;

    private const byte Version = 1;
    private static ReadOnlySpan<byte> Magic => "SCCP"u8;

    /// <summary>The canonical bytes.</summary>
    public byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, CheckpointRecord r) =>
    {
        w.WriteFixed(Magic);
        w.WriteUInt8(Version);
        w.WriteInt64(r.SnapshotBlock);
        r.SnapshotHash.WriteTo(ref w);
        w.WriteInt64(r.SnapshotSize);
    });

    /// <summary>Decodes a checkpoint entry; false with the reason if the bytes are not one.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out CheckpointRecord? record, out string? error)
    {
        record = null;
        error = null;
        if (bytes.Length != EncodedSize || !bytes[..4].SequenceEqual(Magic))
        {
            error = $"not a checkpoint record ({bytes.Length} bytes; a record is {EncodedSize} bytes starting with \"SCCP\")";
            return false;
        }

        if (!CanonicalEncoding.TryDecode(bytes[4..], static (ref CanonicalReader r) =>
            {
                int at = r.Position;
                byte version = r.ReadUInt8();
                if (version != Version)
                {
                    throw new EncodingException(at, $"checkpoint record version {version}; this build reads {Version}");
                }

                return new CheckpointRecord(r.ReadInt64(0, long.MaxValue), Hash256.ReadFrom(ref r), r.ReadInt64(0, long.MaxValue));
            }, out record, out EncodingException? bad))
        {
            error = bad!.Message;
            return false;
        }

        return true;
    }
}
