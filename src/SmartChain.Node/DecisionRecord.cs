using SmartChain.Consensus;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Node;

/// <summary>One entry of the <see cref="DecisionLog"/>.</summary>
public sealed record DecisionRecord(long Instance, int Regency, Hash256 BatchHash, IReadOnlyList<Hash256> Digests, DecisionProof Proof)
{
    internal byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, DecisionRecord r) =>
    {
        w.WriteInt64(r.Instance);
        w.WriteInt32(r.Regency);
        r.BatchHash.WriteTo(ref w);
        w.WriteCount(r.Digests.Count, Core.Limits.MaxBatchRequests);
        foreach (Hash256 digest in r.Digests)
        {
            digest.WriteTo(ref w);
        }

        w.WriteCount(r.Proof.Votes.Count, Core.Limits.MaxViewMembers);
        foreach (AcceptVote vote in r.Proof.Votes)
        {
            w.WriteInt32(vote.ReplicaId);
            w.WriteFixed(vote.Signature.Span);
        }
    });

    internal static DecisionRecord Decode(ReadOnlySpan<byte> bytes) => CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) =>
    {
        long instance = r.ReadInt64(1, long.MaxValue);
        int regency = r.ReadInt32();
        Hash256 hash = Hash256.ReadFrom(ref r);
        var digests = new Hash256[r.ReadCount(Core.Limits.MaxBatchRequests, Hash256.Size)];
        for (int i = 0; i < digests.Length; i++)
        {
            digests[i] = Hash256.ReadFrom(ref r);
        }

        var votes = new AcceptVote[r.ReadCount(Core.Limits.MaxViewMembers, 4 + Ed25519.SignatureSize)];
        for (int i = 0; i < votes.Length; i++)
        {
            votes[i] = new AcceptVote(r.ReadInt32(), r.ReadFixed(Ed25519.SignatureSize).ToArray());
        }

        return new DecisionRecord(instance, regency, hash, digests, new DecisionProof(votes));
    });
}
