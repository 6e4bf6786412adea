using SmartChain.Coin;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network.Client;
using SmartChain.Node;
using SmartChain.Reconfiguration.Keys;
using SmartChain.Reconfiguration.Operations;
using SmartChain.Reconfiguration.State;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The run's reconfiguration (<see cref="SimReconfiguration"/>), driven through the same client path as
/// <c>node join</c>, <c>node leave</c> and <c>node exclude</c>: every replica has a home with an identity key and a
/// forward-secure key chain file, as <c>testnet init</c> and <c>node join</c> make them; the joiner sends its JOIN with
/// a member's endorsement, collects Q members' votes that verify with their view keys, orders the join certificate,
/// saves the view that admitted it and starts as a real <see cref="ReplicaHost"/> in a context of its own, catching up
/// by state transfer. A member leaves by its own LEAVE, or is excluded by f+1 members' EXCLUDE votes; once removed it
/// erases its keys and stops, as <c>node run</c> does.
/// </summary>
internal sealed partial class ReplicaSimulation
{
    private const int ChainLength = 16;

    // The replicas that ever exist in a run: the founders 0..N-1 and the joiner.
    private const int Ever = N + 1;

    private readonly SimReconfiguration _reconfiguration;
    private readonly Dictionary<int, ReplicaMember> _members = [];
    private readonly Dictionary<int, IReadOnlyList<Ed25519PublicKey>> _chains = [];
    private readonly Dictionary<int, long> _removedAt = [];
    private readonly List<string> _reconfigured = [];
    private SimClient? _admin;
    private ulong _systemSequence;
    private long _lastSystemBlock;

    // A home as testnet init or node join leaves it: the key chain file (the identity key is kept in memory, _keys).
    private ReplicaMember CreateHome(int id)
    {
        Directory.CreateDirectory(DataDir(id));
        // From the run's seed, so the run replays: the keys sign blocks whose hashes the replicas compare and order by.
        byte[] first = System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(_seed ^ (0x5EED_C4A1_0000UL + (ulong)id)));
        using ViewKeyChain chain = ViewKeyChain.CreateFromSeed(KeyChainFile(id), ChainLength, first);
        var commitment = KeyChainCommitment.Create(chain.PublicKeys, 0);
        var member = new ReplicaMember(id, "127.0.0.1", 20_000 + (2 * id), 20_001 + (2 * id), _keys[id].PublicKey, commitment,
            commitment.Prove(chain.PublicKeys, 0));
        _members[id] = member;
        _chains[id] = chain.PublicKeys;
        return member;
    }

    private string KeyChainFile(int id) => Path.Combine(_folder, $"node{id}", ViewKeyChain.DefaultFileName);

    // The replicas that are members and not removed: whose ledgers must hold every acknowledged request.
    private IEnumerable<int> Members() => Enumerable.Range(0, Ever).Where(i => _members.ContainsKey(i) && !_removedAt.ContainsKey(i) &&
        (i < N || _reconfigured.Contains("join")));

    private SimClient Admin() => _admin ??= new SimClient(Clients, _genesis, _keys[SimReconfiguration.Joiner], _network, r => _keys[r].PublicKey, _scheduler.Time);

    private async Task ReconfigureAsync()
    {
        if (_reconfiguration.Kind == SimReconfigurationKind.None)
        {
            return;
        }

        TimeProvider time = _scheduler.Time;
        long deadline = Math.Max(_quietAt, _reconfiguration.JoinAt) + LivenessBound;
        await Task.Delay(TimeSpan.FromTicks(Math.Max(0, _reconfiguration.JoinAt - time.GetTimestamp())), time);
        if (!await JoinAsync(deadline))
        {
            return;
        }

        if (_reconfiguration.Kind == SimReconfigurationKind.Join)
        {
            return;
        }

        await Task.Delay(TimeSpan.FromTicks(_reconfiguration.RemoveAfter), time);
        await RemoveAsync(deadline);
    }

    // JOIN with an endorsement, Q votes, the join certificate (as Membership.JoinAsync); then the joiner starts.
    private async Task<bool> JoinAsync(long deadline)
    {
        const int joiner = SimReconfiguration.Joiner;
        ReplicaMember member = CreateHome(joiner);
        Ed25519KeyPair identity = _keys[joiner];
        int endorser = _reconfiguration.Endorser;
        byte[] payload = CoinJoinPolicy.Endorse(_genesis.ChainId, endorser, _keys[endorser], identity.PublicKey, joiner);
        var join = new JoinOperation(joiner, member.Host, member.Port, member.ClientPort, _chains[joiner], payload);
        for (int attempt = 1; attempt <= Client.Membership.MaxJoinAttempts; attempt++)
        {
            _network.Trace($"join r{joiner} attempt {attempt}");
            SignedRequest joinRequest = join.Sign(_genesis.ChainId, identity, ++_systemSequence, 0);
            var votes = new Dictionary<int, ReadOnlyMemory<byte>>();
            if (await SystemAsync(joinRequest, deadline, votes, "JOIN") is not { } approval)
            {
                return false;
            }

            if (approval.Code != SystemResultCode.Approved)
            {
                _failures.Add($"the network refused the JOIN of replica {joiner}: {approval}");
                return false;
            }

            SignedRequest certificate = new ReconfigureOperation(joinRequest, approval.Record!, [.. votes.OrderBy(v => v.Key).Select(v => (v.Key, v.Value))])
                .Sign(_genesis.ChainId, identity, ++_systemSequence, 0);
            if (await SystemAsync(certificate, deadline, null, "join certificate") is not { } installed)
            {
                return false;
            }

            if (installed.Code == SystemResultCode.ViewInstalled)
            {
                // As node join does: the view that admitted it, for node run to catch up from.
                WriteBootstrapView(joiner, installed.View!); // on the joiner's simulated disk, where its start-up reads it
                _reconfigured.Add("join");
                _network.Trace($"joined r{joiner} {installed.View}");
                Start(joiner);
                return true;
            }

            if (installed.Reason?.Contains("the current view is", StringComparison.Ordinal) != true)
            {
                _failures.Add($"the network refused the join certificate of replica {joiner}: {installed}");
                return false;
            }
        }

        _failures.Add($"replica {SimReconfiguration.Joiner} did not join in {Client.Membership.MaxJoinAttempts} attempts: the view kept changing");
        return false;
    }

    // LEAVE by the member itself, or EXCLUDE votes until f+1 count; then the removed replica must erase its keys and stop.
    private async Task RemoveAsync(long deadline)
    {
        int removed = _reconfiguration.Removed;
        bool leave = _reconfiguration.Kind == SimReconfigurationKind.JoinThenLeave;
        (SignedRequest Request, string What)[] requests = leave
            ? [(new LeaveOperation(removed).Sign(_genesis.ChainId, _keys[removed], ++_systemSequence, 0), "LEAVE")]
            : [.. _reconfiguration.Voters.Select(v => (new ExcludeOperation(removed).Sign(_genesis.ChainId, _keys[v], ++_systemSequence, 0), $"EXCLUDE by r{v}"))];
        SystemResult? last = null;
        long block = 0;
        foreach ((SignedRequest request, string what) in requests)
        {
            _network.Trace($"{what} of r{removed}");
            if (await SystemAsync(request, deadline, null, what) is not { } result)
            {
                return;
            }

            if (result.Code == SystemResultCode.Rejected)
            {
                _failures.Add($"the network refused the {what} of replica {removed}: {result}");
                return;
            }

            last = result;
            block = _lastSystemBlock;
        }

        if (last?.Code != SystemResultCode.ViewInstalled)
        {
            _failures.Add($"the {(leave ? "LEAVE" : "exclusion")} of replica {removed} did not install a view: {last}");
            return;
        }

        _removedAt[removed] = block;
        _reconfigured.Add(leave ? "leave" : "exclude");
        _network.Trace($"removed r{removed} at block {block}");

        // As node run: the removed replica stops once it has erased its keys.
        TimeProvider time = _scheduler.Time;
        while (_hosts[removed] is { } host && !host.Removed.IsCompleted)
        {
            if (time.GetTimestamp() >= deadline)
            {
                _failures.Add($"replica {removed} was removed by block {block} but did not retire within {LivenessBound / Ms} virtual ms ({Status()})");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time);
        }

        await StopAsync(removed);
    }

    // One system request through the admin client; the result the replicas agreed on, or null (recorded as a failure).
    private async Task<SystemResult?> SystemAsync(SignedRequest request, long deadline, Dictionary<int, ReadOnlyMemory<byte>>? votes, string what)
    {
        if (await Admin().SubmitSystemAsync(request, deadline, votes) is not { } reply)
        {
            _failures.Add($"liveness: the {what} was not answered by a quorum within the bound ({Status()})");
            return null;
        }

        _lastSystemBlock = reply.Block;
        if (reply.Status == ReplyStatus.Rejected)
        {
            // Refused at the door (Q replicas agree): it could not succeed in the view they are in.
            return SystemResult.Rejected(System.Text.Encoding.UTF8.GetString(reply.Result.Span));
        }

        if (reply.Status is not (ReplyStatus.Executed or ReplyStatus.Duplicate) || SystemResult.TryDecode(reply.Result.Span, out string? error) is not { } result)
        {
            _failures.Add($"the {what} was answered with {reply.Status} and no system result");
            return null;
        }

        return result;
    }
}
