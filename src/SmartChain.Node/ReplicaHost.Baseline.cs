using SmartChain.Consensus;
using SmartChain.Core.Encoding;
using SmartChain.Network.Client;

namespace SmartChain.Node;

/// <summary>
/// The naive ledgers of the paper's Table I, for benchmarks only: the application appends each executed batch to a
/// file of its own (fsynced per batch, or not at all) and replies at once. No blocks, no certificates, no recovery.
/// </summary>
public sealed partial class ReplicaHost
{
    /// <summary>File the naive baselines append to, inside the data folder.</summary>
    public const string NaiveLedgerFileName = "naive-ledger.log";

    private FileStream? _naiveLedger;

    private void ReplyAtOnce(Decision decision, ReadOnlyMemory<byte>[] entries, ReadOnlyMemory<byte>[] results, ReplyMessage?[] replies,
        List<PendingReply> waiting)
    {
        if (_options.Ledger != LedgerMode.None)
        {
            _naiveLedger ??= new FileStream(Path.Combine(_dataDir, NaiveLedgerFileName), FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
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
            _naiveLedger.Write(record);
            _naiveLedger.Flush(flushToDisk: _options.Ledger == LedgerMode.NaiveSync);
        }

        _replyCache.Release(replies, waiting, withReceipt: null);
        _metrics.Released.Add(entries.Length);
    }
}
