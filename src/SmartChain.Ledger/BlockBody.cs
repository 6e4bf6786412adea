using SmartChain.Core;
using SmartChain.Core.Encoding;

namespace SmartChain.Ledger;

/// <summary>
/// A block body (SPEC §4.1): the consensus instance, the entries (canonical request encodings, or the record of a
/// checkpoint or reconfiguration), one result per entry, and the decision proof. The proof is kept as opaque bytes
/// (encoded by the consensus layer) and is outside every hash: replicas may hold different valid proofs.
/// </summary>
public sealed record BlockBody(long ConsensusId, IReadOnlyList<ReadOnlyMemory<byte>> Entries, IReadOnlyList<ReadOnlyMemory<byte>> Results,
    ReadOnlyMemory<byte> DecisionProof)
{
    /// <summary>Most entries in a block.</summary>
    public const int MaxEntries = Limits.MaxBatchRequests;

    /// <summary>Largest entry, result or proof.</summary>
    public const int MaxItemBytes = 16 * 1024 * 1024;

    /// <summary>Writes <c>i64 consensusId · u32 n · n × bytes entry · u32 n · n × bytes result · bytes proof</c>.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        writer.WriteInt64(ConsensusId);
        writer.WriteCount(Entries.Count, MaxEntries);
        foreach (ReadOnlyMemory<byte> entry in Entries)
        {
            writer.WriteBytes(entry.Span, MaxItemBytes);
        }

        writer.WriteCount(Results.Count, MaxEntries);
        foreach (ReadOnlyMemory<byte> result in Results)
        {
            writer.WriteBytes(result.Span, MaxItemBytes);
        }

        writer.WriteBytes(DecisionProof.Span, MaxItemBytes);
    }

    /// <summary>Reads a body written by <see cref="WriteTo"/>.</summary>
    public static BlockBody ReadFrom(ref CanonicalReader reader)
    {
        long consensusId = reader.ReadInt64(0, long.MaxValue);
        var entries = new ReadOnlyMemory<byte>[reader.ReadCount(MaxEntries, 4)];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = reader.ReadBytesToArray(MaxItemBytes);
        }

        var results = new ReadOnlyMemory<byte>[reader.ReadCount(MaxEntries, 4)];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = reader.ReadBytesToArray(MaxItemBytes);
        }

        return new BlockBody(consensusId, entries, results, reader.ReadBytesToArray(MaxItemBytes));
    }
}
