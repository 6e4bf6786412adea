using SmartChain.Consensus;
using SmartChain.Core.Encoding;

namespace SmartChain.Node.Execution;

/// <summary>
/// The naive ledgers of the paper's Table I, for benchmarks only: each executed batch is appended to a file of its own
/// (fsynced per batch, or not at all) on the execution loop. No blocks, no certificates, no recovery.
/// </summary>
internal sealed class NaiveLedger(string dataDir, LedgerMode mode) : IDisposable
{
    private FileStream? _file;

    /// <summary>Appends the batch (nothing in <see cref="LedgerMode.None"/>).</summary>
    public void Append(Decision decision, ReadOnlyMemory<byte>[] entries, ReadOnlyMemory<byte>[] results)
    {
        if (mode == LedgerMode.None)
        {
            return;
        }

        _file ??= new FileStream(Path.Combine(dataDir, ReplicaHost.NaiveLedgerFileName), FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        byte[] record = CanonicalEncoding.ToArray((decision.Instance, entries, results), static (ref CanonicalWriter w, (long Instance, ReadOnlyMemory<byte>[] Entries, ReadOnlyMemory<byte>[] Results) b) =>
        {
            w.WriteInt64(b.Instance);
            w.WriteCount(b.Entries.Length, Core.Limits.MaxBatchRequests);
            for (int j = 0; j < b.Entries.Length; j++)
            {
                w.WriteBytes(b.Entries[j].Span, Core.Limits.MaxRequestBytes);
                w.WriteBytes(b.Results[j].Span, Core.Limits.MaxRequestBytes);
            }
        });
        _file.Write(record);
        _file.Flush(flushToDisk: mode == LedgerMode.NaiveSync);
    }

    /// <inheritdoc />
    public void Dispose() => _file?.Dispose();
}
