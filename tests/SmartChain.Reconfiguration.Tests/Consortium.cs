using SmartChain.Coin;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Reconfiguration.Operations;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Reconfiguration.Tests;

/// <summary>
/// Members with identity keys and key chains whose private keys the test holds, the genesis they form, and the
/// replicated reconfiguration state executing their requests, decided one per instance.
/// </summary>
internal sealed class Consortium : IDisposable
{
    public const string Chain = "reconf-unit";
    public const int ChainLength = 8;
    private readonly Dictionary<int, (Ed25519KeyPair Identity, Ed25519KeyPair[] Chain)> _keys = [];
    private ulong _sequence = 1;

    public Consortium(int n = 4, long joinExpiry = 10, long exclusionExpiry = 50, JoinPolicyMode policy = JoinPolicyMode.EndorsementOrAllowList,
        IReadOnlyList<Ed25519PublicKey>? allowList = null)
    {
        var members = new List<ReplicaMember>();
        var viewKeys = new Dictionary<int, IReadOnlyList<Ed25519PublicKey>>();
        for (int i = 0; i < n; i++)
        {
            (ReplicaMember member, IReadOnlyList<Ed25519PublicKey> chain) = NewReplica(i, firstView: 0);
            members.Add(member);
            viewKeys[i] = chain;
        }

        Genesis = new GenesisDocument(Chain, PersistenceMode.Strong, new View(0, members), ConsensusParameters.Default, 100, [],
            viewKeys, new ReconfigurationParameters { JoinExpiryInstances = joinExpiry, ExclusionExpiryInstances = exclusionExpiry }, policy, allowList);
        App = CoinApplication.ForGenesis(Genesis);
        State = ReconfigurationState.FromGenesis(Genesis);
    }

    public GenesisDocument Genesis { get; }

    public CoinApplication App { get; }

    public ReconfigurationState State { get; set; }

    public View View => State.View;

    public long Instance { get; set; }

    public Ed25519KeyPair Identity(int id) => _keys[id].Identity;

    /// <summary>Replica <paramref name="id"/>'s signing key of view <paramref name="viewId"/> (from a chain starting at <paramref name="firstView"/>).</summary>
    public Ed25519KeyPair ViewKey(int id, long viewId, long firstView = 0) => _keys[id].Chain[viewId - firstView];

    /// <summary>Keys for a replica that does not exist yet (a joiner), and the member record it will have.</summary>
    public (ReplicaMember Member, IReadOnlyList<Ed25519PublicKey> Chain) NewReplica(int id, long firstView)
    {
        var identity = Ed25519KeyPair.Generate();
        Ed25519KeyPair[] chain = [.. Enumerable.Range(0, ChainLength).Select(_ => Ed25519KeyPair.Generate())];
        _keys[id] = (identity, chain);
        Ed25519PublicKey[] keys = [.. chain.Select(k => k.PublicKey)];
        var commitment = KeyChainCommitment.Create(keys, firstView);
        return (new ReplicaMember(id, "127.0.0.1", 30000 + (2 * id), 30001 + (2 * id), identity.PublicKey, commitment, commitment.Prove(keys, firstView)), keys);
    }

    /// <summary>A JOIN by a new replica <paramref name="id"/>, endorsed by <paramref name="endorser"/> unless a payload is given.</summary>
    public SignedRequest Join(int id, int endorser = 0, byte[]? payload = null)
    {
        (ReplicaMember member, IReadOnlyList<Ed25519PublicKey> chain) = NewReplica(id, firstView: View.Id + 1);
        payload ??= CoinJoinPolicy.Endorse(Chain, endorser, Identity(endorser), member.PublicKey, id);
        return Sign(Identity(id), new JoinOperation(id, member.Host, member.Port, member.ClientPort, chain, payload));
    }

    /// <summary>The votes of <paramref name="voters"/> over <paramref name="record"/>, each with its key of <paramref name="viewId"/>.</summary>
    public IReadOnlyList<(int, ReadOnlyMemory<byte>)> Votes(ApprovalRecord record, long viewId, params int[] voters) =>
        [.. voters.Select(v => (v, (ReadOnlyMemory<byte>)record.Sign(ViewKey(v, viewId))))];

    public SignedRequest Certificate(SignedRequest join, ApprovalRecord record, IReadOnlyList<(int, ReadOnlyMemory<byte>)> votes) =>
        Sign(_keys[ReconfigurationOperation.Decode(join.Operation.Span) is JoinOperation j ? j.ReplicaId : throw new InvalidOperationException()].Identity,
            new ReconfigureOperation(join, record, votes));

    public SignedRequest Sign(Ed25519KeyPair issuer, ReconfigurationOperation operation) => operation.Sign(Chain, issuer, _sequence++, 0);

    /// <summary>Decides and executes one system request in the next instance.</summary>
    public SystemResult Execute(SignedRequest request)
    {
        Instance++;
        (SystemResult result, _) = State.Execute(request, new BatchContext(Instance, Instance), App, viewChangedInBlock: false);
        return result;
    }

    /// <summary>A JOIN approved and certified by the first Q members: the view that admits <paramref name="id"/>.</summary>
    public View Admit(int id)
    {
        SignedRequest join = Join(id, endorser: View.Members[0].Id);
        ApprovalRecord record = Execute(join).Record!;
        SystemResult installed = Execute(Certificate(join, record, Votes(record, View.Id, [.. View.Members.Take(View.Q).Select(m => m.Id)])));
        return installed.View ?? throw new InvalidOperationException(installed.ToString());
    }

    public void Dispose()
    {
        foreach ((Ed25519KeyPair identity, Ed25519KeyPair[] chain) in _keys.Values)
        {
            identity.Dispose();
            Array.ForEach(chain, k => k.Dispose());
        }
    }
}
