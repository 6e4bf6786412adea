using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using SmartChain.Consensus.Messages;
using SmartChain.Network;
using SmartChain.Node.Ordering;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Peers;

/// <summary>
/// The peer pump: every frame the replica links received, decoded here (off the consensus thread) and routed to the
/// component that handles it — consensus messages to the consensus driver's per-peer queues, block signatures and
/// certificates to the ledger pipeline, state-transfer requests to the <see cref="TransferServer"/> and answers to the running transfer.
/// A malformed frame is logged (sampled) and dropped; nothing a peer sends ends this loop. Any other exception is a bug:
/// it ends the loop, and the host's supervision logs it and stops the replica.
/// </summary>
internal sealed class PeerRouter
{
    private readonly IReplicaLinks _network;
    private readonly Func<ReadOnlySpan<byte>, ConsensusMessage> _decodeConsensus; // one delegate, not one per frame
    private readonly ConsensusInputs _consensus;
    private readonly ChannelWriter<LedgerInput> _ledger;
    private readonly TransferServer _transferServer;
    private readonly Action<int, TransferMessage> _transferAnswer;
    private readonly Action<string> _dropped;

    /// <summary>
    /// A router for <paramref name="network"/>'s incoming frames; <paramref name="transferAnswer"/> takes state-transfer
    /// answers (for the transfer running now, if any), <paramref name="dropped"/> logs what is dropped and why.
    /// </summary>
    public PeerRouter(IReplicaLinks network, MessageLimits limits, ConsensusInputs consensus, ChannelWriter<LedgerInput> ledger,
        TransferServer transferServer, Action<int, TransferMessage> transferAnswer, Action<string> dropped)
    {
        _network = network;
        _decodeConsensus = payload => MessageCodec.Decode(payload, limits);
        _consensus = consensus;
        _ledger = ledger;
        _transferServer = transferServer;
        _transferAnswer = transferAnswer;
        _dropped = dropped;
    }

    /// <summary>The pump; ends when <paramref name="stop"/> is cancelled or the network's incoming channel completes.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await foreach ((int from, Frame frame) in _network.Incoming.ReadAllHereAsync(stop))
            {
                // A consensus message stays in the peer's inbound budget until the consensus loop takes it (so a
                // peer's flood waits in its own budget, not in the shared input queue); anything else leaves it here
                // (block signatures and transfer frames are bounded by the ledger and transfer queues).
                if (frame.Type != FrameType.Consensus)
                {
                    _network.Release(from, frame.Payload.Length);
                }
                if (frame.Type == FrameType.BlockSignature)
                {
                    await OnBlockSignatureAsync(from, frame, stop);
                    continue;
                }

                if (frame.Type == FrameType.BlockCertificate)
                {
                    OnBlockCertificate(from, frame);
                    continue;
                }

                if (frame.Type == FrameType.StateTransfer)
                {
                    OnTransferFrame(from, frame);
                    continue;
                }

                if (frame.Type != FrameType.Consensus)
                {
                    _dropped($"replica {from} sent a {frame.Type} frame on the replica port");
                    continue;
                }

                if (!TryDecode(from, frame, "consensus message", _decodeConsensus, out ConsensusMessage? message))
                {
                    _network.Release(from, frame.Payload.Length);
                    _consensus.NoteMalformed(from);
                    continue;
                }

                _consensus.OfferPeerMessage(new NodeInput.PeerMessage(from, message, frame.Payload.Length));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
    }

    private async Task OnBlockSignatureAsync(int from, Frame frame, CancellationToken stop)
    {
        if (!TryDecode(from, frame, "block signature", BlockSignatureMessage.Decode, out BlockSignatureMessage? message))
        {
            return;
        }

        // A request for our signature (a peer re-certifying its tail) costs a block read and a signature on the ledger
        // loop: it is dropped when that loop is busy instead of holding up every peer's traffic here; the peer asks again.
        if (message.Wants && !_ledger.TryWrite(new LedgerInput.Signature(from, message)))
        {
            _dropped($"replica {from} asked for the signature of block {message.Block} while the ledger loop is busy; dropped");
            return;
        }

        if (!message.Wants)
        {
            await _ledger.WriteAsync(new LedgerInput.Signature(from, message), stop);
        }
    }

    // Asked for or answered with a block's certificate: a block read, or Q signatures to verify, on the ledger loop. Both
    // wait for nothing here: when that loop is busy the frame is dropped, and the asker asks again a second later.
    private void OnBlockCertificate(int from, Frame frame)
    {
        if (TryDecode(from, frame, "block certificate", BlockCertificateMessage.Decode, out BlockCertificateMessage? message) &&
            !_ledger.TryWrite(new LedgerInput.Certification(from, message)))
        {
            _dropped($"replica {from}'s {(message.Asks ? "request for the certificate" : "certificate")} of block {message.Block} came while the ledger loop is busy; dropped");
        }
    }

    private void OnTransferFrame(int from, Frame frame)
    {
        if (!TryDecode(from, frame, "state-transfer message", TransferMessage.Decode, out TransferMessage? message))
        {
            return;
        }

        switch (message)
        {
            case TransferMessage.TipRequest or TransferMessage.BlocksRequest or TransferMessage.SnapshotRequest:
                _transferServer.OnRequest(from, message, _ledger);
                break;
            default:
                _transferAnswer(from, message);
                break;
        }
    }

    // A peer's frame, decoded; a malformed one is logged (sampled) and dropped.
    private bool TryDecode<T>(int from, Frame frame, string what, Func<ReadOnlySpan<byte>, T> decode, [NotNullWhen(true)] out T? message)
        where T : class
    {
        try
        {
            message = decode(frame.Payload.Span);
            return true;
        }
        catch (Core.Encoding.EncodingException e)
        {
            _dropped($"malformed {what} from replica {from}: {e.Message}");
            message = null;
            return false;
        }
    }
}
