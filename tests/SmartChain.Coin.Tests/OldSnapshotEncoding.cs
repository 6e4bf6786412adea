using System.Buffers;
using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Coin.Tests;

/// <summary>
/// The snapshot encoding as CoinApplication wrote it from one plain dictionary before the copy-on-write coin table
/// (kept verbatim from that code), the reference the table's bytes must equal.
/// </summary>
public static class OldSnapshotEncoding
{
    public static byte[] Snapshot(IEnumerable<Ed25519PublicKey> minters, Dictionary<Hash256, CoinOutput> coins)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new CanonicalWriter(output);
        writer.WriteUInt8(0x43);
        writer.WriteUInt8(1);

        Ed25519PublicKey[] sortedMinters = [.. minters];
        Array.Sort(sortedMinters);
        writer.WriteCount(sortedMinters.Length, Limits.MaxMinters);
        foreach (Ed25519PublicKey minter in sortedMinters)
        {
            minter.WriteTo(ref writer);
        }

        WriteCoins(ref writer, coins);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] CoinSection(Dictionary<Hash256, CoinOutput> coins)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new CanonicalWriter(output);
        WriteCoins(ref writer, coins);
        return output.WrittenSpan.ToArray();
    }

    private static void WriteCoins(ref CanonicalWriter writer, Dictionary<Hash256, CoinOutput> coins)
    {
        Hash256[] ids = ArrayPool<Hash256>.Shared.Rent(coins.Count);
        try
        {
            coins.Keys.CopyTo(ids, 0);
            Span<Hash256> sorted = ids.AsSpan(0, coins.Count);
            sorted.Sort();
            writer.WriteCount(sorted.Length, int.MaxValue);
            foreach (Hash256 id in sorted)
            {
                CoinOutput coin = coins[id];
                id.WriteTo(ref writer);
                coin.Owner.WriteTo(ref writer);
                writer.WriteUInt64(coin.Value);
            }
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(ids);
        }
    }
}
