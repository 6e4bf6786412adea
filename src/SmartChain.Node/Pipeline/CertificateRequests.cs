using SmartChain.Core.Crypto;
using SmartChain.Ledger;
using SmartChain.Ledger.Certification;
using SmartChain.Ledger.Store;
using SmartChain.Network;
using SmartChain.Node.Views;

namespace SmartChain.Node.Pipeline;

/// <summary>
/// Re-certification of blocks that stay uncertified here (signatures lost while this replica was down, cut off or
/// slow), on the ledger loop. Once a second it asks the peers again for each such block; a peer answers with the
/// certificate it stored if it has one, else with its signature. The stored certificate is what makes this work across
/// a view change: the members erase their keys of a view once they leave it, and the signatures they still hold of its
/// blocks are the Q that first came, not necessarily their own, so after a signer left, fewer than Q fresh signatures
/// of that view can ever come; the certificate they stored is verified here like any other, with the view's keys and
/// this replica's own header (<see cref="CertificateCollector.Adopt"/>).
/// </summary>
internal sealed class CertificateRequests(string chainId, BlockStore store, CertificateCollector collector, ViewSigner signer,
    IReplicaLinks network, Dictionary<long, (Hash256 Hash, byte[] Signature)> mySignatures, Action<int, int> dropped)
{
    /// <summary>Blocks asked for per second: a replica far behind is certified by state transfer, not block by block.</summary>
    internal const int MaxRequestedBlocks = 64;

    /// <summary>
    /// Requests answered and certificates checked per peer between two ticks (a second). An honest peer asks for at most
    /// <see cref="MaxRequestedBlocks"/> blocks a tick and answers at most as many of ours; its ticks and ours are not
    /// aligned, so twice that can fall in one of ours, and this is twice that again.
    /// </summary>
    internal const int MaxServedPerPeerPerTick = 4 * MaxRequestedBlocks;

    // Requests answered and certificates checked per peer since the last tick; what is over the budget is dropped and
    // counted, and the tick logs it once per peer.
    private readonly Dictionary<int, int> _served = [];
    private readonly Dictionary<int, int> _overBudget = [];

    /// <summary>
    /// Asks every peer again for the blocks still uncertified here, lowest first: with this replica's signature where
    /// it made one (which counts there too), else (it holds no key of that block's view) for their certificate alone.
    /// </summary>
    public void Retransmit()
    {
        foreach ((int peer, int count) in _overBudget)
        {
            dropped(peer, count);
        }

        _served.Clear();
        _overBudget.Clear();
        int asked = 0;
        foreach (long number in collector.Uncertified)
        {
            if (asked++ == MaxRequestedBlocks)
            {
                return;
            }

            if (mySignatures.TryGetValue(number, out var mine))
            {
                network.Broadcast(FrameType.BlockSignature, new BlockSignatureMessage(number, mine.Hash, mine.Signature, Wants: true).Encode());
            }
            else if (collector.UncertifiedHash(number) is { } hash)
            {
                network.Broadcast(FrameType.BlockCertificate, new BlockCertificateMessage(number, hash, Certificate: null).Encode());
            }
        }
    }

    /// <summary>
    /// Peer <paramref name="from"/> asked for this replica's certification of block <paramref name="number"/>: its stored
    /// certificate if the block is certified here, else this replica's signature if it made one or still holds the key of
    /// the block's view; nothing for a block not durable here.
    /// </summary>
    public void Answer(int from, long number)
    {
        if (number > store.CommittedHeight || !Spend(from))
        {
            return;
        }

        if (mySignatures.TryGetValue(number, out var mine))
        {
            // Uncertified here too: both collect, and this signature counts for the asker.
            network.Send(from, FrameType.BlockSignature, new BlockSignatureMessage(number, mine.Hash, mine.Signature, Wants: false).Encode());
            return;
        }

        Block block = store.Read(number);
        if (block.Certificate is { } certificate)
        {
            network.Send(from, FrameType.BlockCertificate, new BlockCertificateMessage(number, block.Hash, certificate).Encode());
        }
        else if (signer.KeyFor(collector.ViewAt(number)) is { } key)
        {
            // Certified here but its certificate not written yet (weak mode writes it with the next commit).
            byte[] signature = BlockCertificate.Sign(key, chainId, block.Hash);
            network.Send(from, FrameType.BlockSignature, new BlockSignatureMessage(number, block.Hash, signature, Wants: false).Encode());
        }
    }

    /// <summary>
    /// A certificate peer <paramref name="from"/> sent for a block: returned if it certifies the block this replica
    /// built and still waits for (checked by the collector, which reports one that does not hold as evidence).
    /// </summary>
    public BlockCertificate? Adopt(int from, BlockCertificateMessage message) =>
        message.Certificate is { } certificate && collector.UncertifiedHash(message.Block) is not null && Spend(from)
            ? collector.Adopt(from, message.Block, message.HeaderHash, certificate)
            : null;

    // One unit of peer `from`'s budget for this tick: false (counted as dropped) once it is spent.
    private bool Spend(int from)
    {
        int served = _served.GetValueOrDefault(from);
        if (served >= MaxServedPerPeerPerTick)
        {
            _overBudget[from] = _overBudget.GetValueOrDefault(from) + 1;
            return false;
        }

        _served[from] = served + 1;
        return true;
    }
}
