using System.Threading.Channels;
using SmartChain.Node.Pipeline;

namespace SmartChain.Node;

/// <summary>
/// The host's side of the ledger pipeline (<see cref="LedgerPipeline"/>, which owns the ledger loop's state): its input
/// channel and the heights it publishes.
/// </summary>
public sealed partial class ReplicaHost
{
    private readonly Channel<LedgerInput> _ledger = Channel.CreateBounded<LedgerInput>(new BoundedChannelOptions(1_024) { SingleReader = true });
    private readonly ReplyCache _replyCache;
    private readonly LedgerPipeline _ledgerPipeline;

    /// <summary>Highest block whose certificate is durable here.</summary>
    public long LastCertified => _ledgerPipeline.Status.LastCertified;

    /// <summary>Highest block such that it and every block before it are certified and durable here.</summary>
    internal long CertifiedPrefix => _ledgerPipeline.Status.CertifiedPrefix;

    /// <summary>Highest block durable here.</summary>
    public long CommittedHeight => _ledgerPipeline.Status.CommittedHeight;

    /// <summary>Completes once block <paramref name="block"/> and every block before it are durable and certified here.</summary>
    public Task WaitForCertifiedAsync(long block, CancellationToken cancellationToken) =>
        _ledgerPipeline.WaitForAsync(static s => s.CertifiedPrefix, block, cancellationToken);
}
