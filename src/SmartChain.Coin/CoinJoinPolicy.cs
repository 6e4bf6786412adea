using SmartChain.Core;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;

namespace SmartChain.Coin;

/// <summary>
/// SMaRtCoin's join policy (SPEC §5, genesis <c>coin.joinPolicy</c>): a node may join if its JOIN payload carries an
/// endorsement signed by a current member's identity key, or if its identity key is on genesis' allow-list, or either
/// (the default). Payload: <c>u8 0</c> (nothing) or <c>u8 1 · i32 endorser id · 64 B signature</c>, the signature over
/// <see cref="Statement"/> = <c>u8 0x07 · string chain id · 32 B joiner identity · i32 joiner replica id</c>. Deterministic:
/// it reads only the candidate, the view and genesis.
/// </summary>
public sealed record CoinJoinPolicy(JoinPolicyMode Mode, IReadOnlyList<Ed25519PublicKey> AllowList)
{
    private const byte NoEndorsement = 0;
    private const byte WithEndorsement = 1;

    /// <summary>Endorsement or allow-list, with an empty allow-list.</summary>
    public static CoinJoinPolicy Default { get; } = new(JoinPolicyMode.EndorsementOrAllowList, []);

    /// <summary>The policy <paramref name="genesis"/> sets.</summary>
    public static CoinJoinPolicy FromGenesis(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        return new CoinJoinPolicy(genesis.JoinPolicy, genesis.JoinAllowList);
    }

    /// <summary>The bytes a member signs to endorse a joiner.</summary>
    public static byte[] Statement(string chainId, Ed25519PublicKey joiner, int replicaId) =>
        CanonicalEncoding.ToArray((chainId, joiner, replicaId), static (ref CanonicalWriter w, (string Chain, Ed25519PublicKey Joiner, int Id) s) =>
        {
            w.WriteUInt8((byte)SignatureDomain.JoinEndorsement);
            w.WriteString(s.Chain, Limits.MaxChainIdBytes);
            s.Joiner.WriteTo(ref w);
            w.WriteInt32(s.Id);
        });

    /// <summary>The JOIN payload of an endorsement by member <paramref name="endorser"/>, signed with its identity key.</summary>
    public static byte[] Endorse(string chainId, int endorser, Ed25519KeyPair endorserIdentity, Ed25519PublicKey joiner, int replicaId)
    {
        ArgumentNullException.ThrowIfNull(endorserIdentity);
        return EndorsementPayload(endorser, endorserIdentity.Sign(Statement(chainId, joiner, replicaId)));
    }

    /// <summary>The payload that carries a given endorsement signature.</summary>
    public static byte[] EndorsementPayload(int endorser, ReadOnlySpan<byte> signature)
    {
        byte[] payload = new byte[1 + 4 + Ed25519.SignatureSize];
        payload[0] = WithEndorsement;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(1), endorser);
        signature.CopyTo(payload.AsSpan(5));
        return payload;
    }

    /// <summary>The payload with no endorsement (for the allow-list).</summary>
    public static byte[] NoPayload => [NoEndorsement];

    /// <summary>Judges <paramref name="candidate"/> against <paramref name="view"/>.</summary>
    public JoinVerdict Evaluate(string chainId, JoinCandidate candidate, View view)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(view);
        bool allowed = AllowList.Contains(candidate.Identity);
        if (Mode != JoinPolicyMode.Endorsement && allowed)
        {
            return JoinVerdict.Approve;
        }

        if (Mode == JoinPolicyMode.AllowList)
        {
            return JoinVerdict.Refuse("the joiner's key is not on genesis' join allow-list (coin.joinAllowList)");
        }

        ReadOnlySpan<byte> payload = candidate.Payload.Span;
        if (payload.Length == 1 && payload[0] == NoEndorsement)
        {
            return JoinVerdict.Refuse(Mode == JoinPolicyMode.Endorsement ? "no endorsement by a current member" : "no endorsement by a current member, and the key is not on the allow-list");
        }

        if (payload.Length != 1 + 4 + Ed25519.SignatureSize || payload[0] != WithEndorsement)
        {
            return JoinVerdict.Refuse($"the payload ({payload.Length} bytes) is neither empty nor an endorsement");
        }

        int endorser = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(payload[1..]);
        if (!view.TryGetMember(endorser, out ReplicaMember? member) || member is null)
        {
            return JoinVerdict.Refuse($"the endorser, replica {endorser}, is not a member of {view}");
        }

        return Ed25519.Verify(member.PublicKey, Statement(chainId, candidate.Identity, candidate.ReplicaId), payload[5..])
            ? JoinVerdict.Approve
            : JoinVerdict.Refuse($"the endorsement does not verify with replica {endorser}'s identity key (it is for another joiner, id or chain, or forged)");
    }
}
