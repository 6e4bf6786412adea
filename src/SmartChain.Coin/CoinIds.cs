using System.Buffers.Binary;
using SmartChain.Core.Crypto;

namespace SmartChain.Coin;

/// <summary>Coin ids: SHA-256(transaction id ‖ u32 little-endian output index). Unique because transaction ids are.</summary>
public static class CoinIds
{
    /// <summary>The id of output <paramref name="outputIndex"/> of the transaction <paramref name="transactionId"/>.</summary>
    public static Hash256 Derive(Hash256 transactionId, int outputIndex)
    {
        Span<byte> input = stackalloc byte[Hash256.Size + 4];
        transactionId.CopyTo(input);
        BinaryPrimitives.WriteInt32LittleEndian(input[Hash256.Size..], outputIndex);
        return Hash256.Compute(input);
    }
}
