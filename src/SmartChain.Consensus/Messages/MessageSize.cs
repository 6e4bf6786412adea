using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Consensus.Messages;

/// <summary>
/// The length <see cref="MessageCodec.Encode"/> gives a message, computed from the decoded message without encoding
/// it: the core receives messages decoded, and charges what it keeps for a peer by these bytes (one pass over the
/// batch's requests, no allocation).
/// </summary>
public static class MessageSize
{
    // u8 type · i64 view · i64 instance · i32 regency.
    private const int Header = 1 + 8 + 8 + 4;
    private const int Signature = Ed25519.SignatureSize;

    /// <summary>The exact number of bytes <see cref="MessageCodec.Encode"/> writes for <paramref name="message"/>.</summary>
    public static long Of(ConsensusMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Header + message switch
        {
            Propose p => Batch(p.Batch),
            Forward f => Batch(f.Batch),
            Write or Accept => Hash256.Size + Signature,
            DecisionMessage d => Batch(d.Batch) + Proof(d.Proof),
            StopData sd => StopDataBody(sd),
            Sync sync => SyncBody(sync),
            _ => 0, // FETCH, STOP: the header only
        };
    }

    private static long SyncBody(Sync sync)
    {
        long size = 4 + Batch(sync.Batch);
        for (int i = 0; i < sync.StopDatas.Count; i++)
        {
            size += 4 + 8 + StopDataBody(sync.StopDatas[i].Data);
        }

        return size;
    }

    private static long StopDataBody(StopData data)
    {
        long size = 1 + 1 + Signature;
        if (data.LastDecision is { } d)
        {
            size += 8 + 4 + Batch(d.Batch) + Proof(d.Proof);
        }

        if (data.Certificate is { } c)
        {
            size += 4 + Hash256.Size + 4 + ((long)c.Writes.Count * (4 + Signature)) + Batch(c.Batch);
        }

        return size;
    }

    private static long Batch(IReadOnlyList<SignedRequest> batch)
    {
        long size = 4 + (4L * batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            size += batch[i].Size;
        }

        return size;
    }

    private static long Proof(DecisionProof proof) => 4 + ((long)proof.Votes.Count * (4 + Signature));
}
