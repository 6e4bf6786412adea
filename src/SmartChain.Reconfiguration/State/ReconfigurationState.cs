using SmartChain.Core;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Operations;

namespace SmartChain.Reconfiguration.State;

/// <summary>
/// The replicated state of reconfiguration (SPEC §5): the view in force, every member's key-chain public keys (from which
/// each later view gives the member its key and path), the ids of members that left (never reused), and the exclusion
/// votes with the instance each was cast at. Changed only by executing decided system operations, in order, so every
/// correct replica holds the same state; part of every snapshot. Not thread-safe: execution owns it.
/// </summary>
public sealed partial class ReconfigurationState
{
    private const byte SnapshotVersion = 1;
    private readonly string _chainId;
    private readonly ReconfigurationParameters _parameters;
    private readonly SortedDictionary<int, Ed25519PublicKey[]> _chainKeys;
    private readonly SortedSet<int> _formerIds;
    private readonly SortedDictionary<(int Target, int Voter), long> _exclusionVotes;

    private ReconfigurationState(string chainId, ReconfigurationParameters parameters, View view, long lastReconfigBlock,
        SortedDictionary<int, Ed25519PublicKey[]> chainKeys, SortedSet<int> formerIds, SortedDictionary<(int, int), long> votes)
    {
        _chainId = chainId;
        _parameters = parameters;
        View = view;
        LastReconfigBlock = lastReconfigBlock;
        _chainKeys = chainKeys;
        _formerIds = formerIds;
        _exclusionVotes = votes;
    }

    /// <summary>The view in force after the last executed block.</summary>
    public View View { get; private set; }

    /// <summary>The block that installed <see cref="View"/> (0 for the genesis view).</summary>
    public long LastReconfigBlock { get; private set; }

    /// <summary>Ids of replicas that were members once and left or were excluded.</summary>
    public IReadOnlyCollection<int> FormerMembers => _formerIds;

    /// <summary>Live exclusion votes: (target, voter) and the instance each was cast at.</summary>
    public IReadOnlyDictionary<(int Target, int Voter), long> ExclusionVotes => _exclusionVotes;

    /// <summary>The key-chain public keys of member <paramref name="replicaId"/>.</summary>
    public IReadOnlyList<Ed25519PublicKey> ChainKeysOf(int replicaId) => _chainKeys[replicaId];

    /// <summary>The state genesis defines: its view, its members' key chains, no former members, no votes.</summary>
    public static ReconfigurationState FromGenesis(GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var keys = new SortedDictionary<int, Ed25519PublicKey[]>();
        foreach ((int id, IReadOnlyList<Ed25519PublicKey> chain) in genesis.ViewKeys)
        {
            keys[id] = [.. chain];
        }

        return new ReconfigurationState(genesis.ChainId, genesis.Reconfiguration, genesis.InitialView, 0, keys, [], []);
    }

    /// <summary>A copy that later execution does not change (a checkpoint's consistent view).</summary>
    public ReconfigurationState Clone() => new(_chainId, _parameters, View, LastReconfigBlock, new SortedDictionary<int, Ed25519PublicKey[]>(_chainKeys),
        [.. _formerIds], new SortedDictionary<(int, int), long>(_exclusionVotes));

    /// <summary>
    /// Executes system request <paramref name="request"/>, decided in <paramref name="context"/>. Returns its result and,
    /// if it installed a view, that view. <paramref name="viewChangedInBlock"/>: an earlier request of the same block
    /// already changed the view, so this one is refused (one view change per block).
    /// </summary>
    public (SystemResult Result, View? Installed) Execute(SignedRequest request, BatchContext context, IReplicatedApplication app, bool viewChangedInBlock)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(app);
        if (ReconfigurationOperation.TryDecode(request.Operation.Span, out string? malformed) is not { } operation)
        {
            return (SystemResult.Rejected(malformed!), null);
        }

        if (viewChangedInBlock)
        {
            return (SystemResult.Rejected($"an earlier request of this block changed the view (to view {View.Id}); submit again in the new view"), null);
        }

        return operation switch
        {
            JoinOperation join => (ExecuteJoin(request, join, context, app), null),
            ReconfigureOperation reconfigure => Installing(ExecuteReconfigure(request, reconfigure, context)),
            LeaveOperation leave => Installing(ExecuteLeave(request, leave, context)),
            ExcludeOperation exclude => Installing(ExecuteExclude(request, exclude, context)),
            _ => (SystemResult.Rejected($"system operation {operation.Kind} is not executed here"), null),
        };
    }

    private static (SystemResult, View?) Installing(SystemResult result) => (result, result.Code == SystemResultCode.ViewInstalled ? result.View : null);

    /// <summary>
    /// Canonical bytes (part of every snapshot): <c>u8 version 1 · view · i64 last reconfiguration block · u32 n · n × (i32 id ·
    /// u32 k · k × 32 B key) · u32 m · m × i32 former id · u32 v · v × (i32 target · i32 voter · i64 instance)</c>, every list
    /// in increasing order.
    /// </summary>
    public byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, ReconfigurationState s) =>
    {
        w.WriteUInt8(SnapshotVersion);
        s.View.WriteTo(ref w);
        w.WriteInt64(s.LastReconfigBlock);
        w.WriteCount(s._chainKeys.Count, Limits.MaxViewMembers);
        foreach ((int id, Ed25519PublicKey[] keys) in s._chainKeys)
        {
            w.WriteInt32(id);
            w.WriteCount(keys.Length, KeyChainCommitment.MaxLength);
            foreach (Ed25519PublicKey key in keys)
            {
                key.WriteTo(ref w);
            }
        }

        w.WriteCount(s._formerIds.Count, int.MaxValue);
        foreach (int id in s._formerIds)
        {
            w.WriteInt32(id);
        }

        w.WriteCount(s._exclusionVotes.Count, MaxVotes);
        foreach (((int target, int voter), long at) in s._exclusionVotes)
        {
            w.WriteInt32(target);
            w.WriteInt32(voter);
            w.WriteInt64(at);
        }
    });

    private const int MaxVotes = Limits.MaxViewMembers * Limits.MaxViewMembers;

    /// <summary>Reads the bytes of <see cref="Encode"/> for the chain of <paramref name="genesis"/>; checks that they are consistent.</summary>
    /// <exception cref="EncodingException">Not a reconfiguration state, or one that contradicts itself.</exception>
    public static ReconfigurationState Decode(ReadOnlySpan<byte> bytes, GenesisDocument genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        return CanonicalEncoding.Decode(bytes, (ref CanonicalReader r) =>
        {
            int at = r.Position;
            if (r.ReadUInt8() != SnapshotVersion)
            {
                throw new EncodingException(at, $"reconfiguration state version; this build reads {SnapshotVersion}");
            }

            View view = View.ReadFrom(ref r);
            long lastReconfig = r.ReadInt64(0, long.MaxValue);
            var keys = new SortedDictionary<int, Ed25519PublicKey[]>();
            int count = r.ReadCount(Limits.MaxViewMembers, 8);
            for (int i = 0; i < count; i++)
            {
                at = r.Position;
                int id = r.ReadInt32();
                var chain = new Ed25519PublicKey[r.ReadCount(KeyChainCommitment.MaxLength, Ed25519PublicKey.Size)];
                for (int k = 0; k < chain.Length; k++)
                {
                    chain[k] = Ed25519PublicKey.ReadFrom(ref r);
                }

                if (!view.TryGetMember(id, out ReplicaMember? member) || KeyChainCommitment.Create(chain, member!.Chain.FirstView) != member.Chain ||
                    (keys.Count > 0 && id <= keys.Keys.Max()))
                {
                    throw new EncodingException(at, $"the key chain of replica {id} does not match its member record, or is out of order");
                }

                keys[id] = chain;
            }

            if (keys.Count != view.N)
            {
                throw new EncodingException(at, $"{keys.Count} key chains for the {view.N} members of {view}");
            }

            var former = new SortedSet<int>();
            int formerCount = r.ReadCount(int.MaxValue, 4);
            for (int i = 0; i < formerCount; i++)
            {
                at = r.Position;
                int id = r.ReadInt32();
                if ((former.Count > 0 && id <= former.Max) || view.Contains(id))
                {
                    throw new EncodingException(at, $"former member {id} is out of order or still a member");
                }

                former.Add(id);
            }

            var votes = new SortedDictionary<(int, int), long>();
            int voteCount = r.ReadCount(MaxVotes, 16);
            (int, int)? previous = null;
            for (int i = 0; i < voteCount; i++)
            {
                at = r.Position;
                (int, int) key = (r.ReadInt32(), r.ReadInt32());
                if (previous is { } p && key.CompareTo(p) <= 0)
                {
                    throw new EncodingException(at, "exclusion votes are not in increasing order");
                }

                votes[key] = r.ReadInt64(0, long.MaxValue);
                previous = key;
            }

            return new ReconfigurationState(genesis.ChainId, genesis.Reconfiguration, view, lastReconfig, keys, former, votes);
        });
    }
}
