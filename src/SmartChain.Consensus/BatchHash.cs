using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus;

/// <summary>
/// H(batch) = SHA-256(0x42 'B' ‖ u32 count ‖ digest₀ ‖ … ‖ digestₙ₋₁). Request digests already bind every byte of
/// each request, so hashing them instead of the requests costs 32 bytes per request.
/// </summary>
public static class BatchHash
{
    private const byte Tag = 0x42;

    /// <summary>The hash of <paramref name="batch"/>, in order.</summary>
    public static Hash256 Compute(IReadOnlyList<SignedRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int length = 1 + 4 + (batch.Count * Hash256.Size);
        byte[] input = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            input[0] = Tag;
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(1), batch.Count);
            for (int i = 0; i < batch.Count; i++)
            {
                batch[i].Digest.CopyTo(input.AsSpan(5 + (i * Hash256.Size)));
            }

            return Hash256.Compute(input.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(input);
        }
    }
}
