using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Views;

namespace SmartChain.Consensus;

/// <summary>
/// The proof of a decision: signed ACCEPTs of (view, instance, regency, batch hash) from at least Q distinct
/// members of the view, sorted by replica id.
/// </summary>
public sealed record DecisionProof(IReadOnlyList<AcceptVote> Votes)
{
    /// <summary>
    /// Null if the proof shows that <paramref name="batchHash"/> was decided in (<paramref name="instance"/>,
    /// <paramref name="regency"/>) of <paramref name="view"/>; otherwise why not.
    /// </summary>
    public string? Verify(View view, string chainId, long instance, int regency, Hash256 batchHash)
    {
        ArgumentNullException.ThrowIfNull(view);
        string? problem = QuorumSignatures.Verify(view, AcceptStatement.Encode(chainId, view.Id, instance, regency, batchHash),
            Votes.Select(v => (v.ReplicaId, v.Signature)));
        return problem?.Replace("signature", "vote", StringComparison.Ordinal);
    }

    /// <summary>Writes <c>u32 n · n × (i32 replica · 64 B signature)</c>.</summary>
    public void WriteTo(ref CanonicalWriter writer)
    {
        writer.WriteCount(Votes.Count, Core.Limits.MaxViewMembers);
        foreach (AcceptVote vote in Votes)
        {
            if (vote.Signature.Length != Ed25519.SignatureSize)
            {
                throw new EncodingException(writer.Written, $"signature of {vote.Signature.Length} bytes; Ed25519 signatures are {Ed25519.SignatureSize}");
            }

            writer.WriteInt32(vote.ReplicaId);
            writer.WriteFixed(vote.Signature.Span);
        }
    }

    /// <summary>Reads a proof written by <see cref="WriteTo"/>.</summary>
    public static DecisionProof ReadFrom(ref CanonicalReader reader)
    {
        int count = reader.ReadCount(Core.Limits.MaxViewMembers, 4 + Ed25519.SignatureSize);
        var votes = new AcceptVote[count];
        for (int i = 0; i < count; i++)
        {
            votes[i] = new AcceptVote(reader.ReadInt32(), reader.ReadFixed(Ed25519.SignatureSize).ToArray());
        }

        return new DecisionProof(votes);
    }

    /// <summary>The bytes a block body keeps as its decision proof: <c>i32 regency · proof</c>.</summary>
    public byte[] EncodeForBlock(int regency) => CanonicalEncoding.ToArray((this, regency), static (ref CanonicalWriter w, (DecisionProof Proof, int Regency) p) =>
    {
        w.WriteInt32(p.Regency);
        p.Proof.WriteTo(ref w);
    });

    /// <summary>Reads what <see cref="EncodeForBlock"/> wrote.</summary>
    /// <exception cref="EncodingException">Not a decision proof.</exception>
    public static (int Regency, DecisionProof Proof) DecodeFromBlock(ReadOnlySpan<byte> bytes) =>
        CanonicalEncoding.Decode(bytes, static (ref CanonicalReader r) => (r.ReadInt32(), ReadFrom(ref r)));
}
