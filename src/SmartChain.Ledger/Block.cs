using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;

namespace SmartChain.Ledger;

/// <summary>A block: header, body and (once collected) certificate.</summary>
public sealed record Block(BlockHeader Header, BlockBody Body, BlockCertificate? Certificate)
{
    /// <summary>The block id: SHA-256 of the header.</summary>
    public Hash256 Hash => Header.Hash();

    /// <summary>
    /// Builds block <paramref name="previous"/>.Number + 1 over a decided batch: Merkle roots over the indexed entries and
    /// results, linked to the previous header.
    /// </summary>
    public static Block Next(BlockHeader previous, long consensusId, IReadOnlyList<ReadOnlyMemory<byte>> entries,
        IReadOnlyList<ReadOnlyMemory<byte>> results, ReadOnlyMemory<byte> decisionProof) =>
        BuiltBlock.Next(previous, consensusId, entries, results, decisionProof).Block;

    /// <summary>
    /// Block 0, derived from genesis alone and so identical on every replica: one entry, the genesis' canonical
    /// encoding; no results; no certificate (genesis is trusted by definition).
    /// </summary>
    public static Block Genesis(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        ReadOnlyMemory<byte>[] entries = [genesis.Encode()];
        var header = new BlockHeader(0, 0, 0, BlockMerkle.Root(entries), BlockMerkle.Root([]), Hash256.Zero);
        return new Block(header, new BlockBody(0, entries, [], ReadOnlyMemory<byte>.Empty), null);
    }

    /// <summary>Writes header then body (the certificate is stored in its own record).</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        Header.WriteTo(ref writer);
        Body.WriteTo(ref writer);
    }

    /// <summary>Reads header and body.</summary>
    public static Block ReadFrom(ref CanonicalReader reader) => new(BlockHeader.ReadFrom(ref reader), BlockBody.ReadFrom(ref reader), null);
}
