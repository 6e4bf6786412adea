using System.Buffers.Binary;
using System.IO.Hashing;

namespace SmartChain.Ledger.Store;

/// <summary>
/// Tells a torn end of an append-only file of records (<c>[u32 length][u32 CRC-32 of the payload][payload]</c>, little
/// endian; the block store's segments and the vote log) from damage before its end. A crash can only tear what was
/// appended last, so no whole record follows a torn one; damage can leave a bad header anywhere, with committed records
/// behind it that truncating would destroy.
/// </summary>
public static class TornTail
{
    private const int HeaderSize = 8;

    // Hashing every candidate behind a bad header costs at most this much at open; past it the tail is refused, not cut.
    private const long ScanBudgetBytes = 256L * 1024 * 1024;

    /// <summary>
    /// Null if the bytes from <paramref name="from"/> (where a record does not check out) may be a torn tail; otherwise
    /// why not: a whole record follows (damage), or the search for one ran past its budget (undecided, so refused).
    /// </summary>
    public static string? WhyNotTorn(ReadOnlySpan<byte> bytes, int from)
    {
        long hashed = 0;
        for (int at = from + 1; at <= bytes.Length - HeaderSize - 1; at++)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]);
            if (length == 0 || length > (uint)(bytes.Length - at - HeaderSize))
            {
                continue;
            }

            hashed += length;
            if (hashed > ScanBudgetBytes)
            {
                return $"more than {ScanBudgetBytes / (1024 * 1024)} MiB follow it and no torn end could be told from damage";
            }

            if (Crc32.HashToUInt32(bytes.Slice(at + HeaderSize, (int)length)) == BinaryPrimitives.ReadUInt32LittleEndian(bytes[(at + 4)..]))
            {
                return $"a whole record at offset {at} follows it";
            }
        }

        return null;
    }
}
