using System.Collections.Concurrent;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Reconfiguration.Operations;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Client;

/// <summary>
/// A JOIN's votes (SPEC §5): each replica that approves a decided JOIN signs the approval record with its key of the view
/// and attaches the signature to its reply. The joiner waits for Q replies whose votes verify, from distinct members:
/// with them it can build the join certificate.
/// </summary>
public sealed partial class ChainClient
{
    private readonly ConcurrentDictionary<Hash256, byte> _wantVotes = new();

    /// <summary>
    /// Submits a JOIN and returns its outcome: the approval record with the votes of at least Q members (each verified
    /// against the member's key of the record's view), or the rejection, as Q replicas agree on it.
    /// </summary>
    /// <exception cref="ChainClientException">No Q matching replies, or not enough valid votes, within the timeout.</exception>
    public async Task<(SystemResult Result, IReadOnlyList<(int ReplicaId, ReadOnlyMemory<byte> Signature)> Votes)> SubmitForVotesAsync(SignedRequest join,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(join);
        View view = _view;
        var votes = new ConcurrentDictionary<int, (byte[] Statement, ReadOnlyMemory<byte> Signature)>();
        var quorum = new Quorum<ReplyMessage>(view.Q, static (a, b) => a.Matches(b), Describe)
        {
            // A reply counts once its vote (if the JOIN was approved) verifies: a replica with a bad vote cannot stall the joiner.
            Admit = (replica, reply) => Counts(view, replica, reply, votes),
            Payload = join.Encoded,
        };
        _wantVotes[join.Digest] = 0;
        _requests[join.Digest] = quorum;
        try
        {
            await BroadcastAsync(FrameType.Request, join.Encoded, cancellationToken);
            ReplyMessage reply = await WaitAsync(quorum.Completion.Task, () => $"{join}: {quorum.Describe(AllReplicas())}", cancellationToken);
            SystemResult result = SystemResult.TryDecode(reply.Result.Span, out string? error)
                ?? throw new ChainClientException($"the replicas' answer to the JOIN is not a system result: {error}");
            return (result, result.Record is { } agreed ? VotesOn(agreed.Encode(), votes) : []);
        }
        finally
        {
            _requests.TryRemove(join.Digest, out _);
            _wantVotes.TryRemove(join.Digest, out _);
        }
    }

    /// <summary>
    /// The votes over <paramref name="statement"/> collected so far, by replica id. Late replies may still add to
    /// <paramref name="votes"/>: one snapshot is taken (ToArray holds every lock of the dictionary; sorting the
    /// dictionary itself sized a buffer by Count and copied later, and threw when a vote came between). A vote over
    /// another record (a Byzantine member's own, validly signed) would make the whole join certificate fail.
    /// </summary>
    internal static IReadOnlyList<(int ReplicaId, ReadOnlyMemory<byte> Signature)> VotesOn(ReadOnlySpan<byte> statement,
        ConcurrentDictionary<int, (byte[] Statement, ReadOnlyMemory<byte> Signature)> votes)
    {
        KeyValuePair<int, (byte[] Statement, ReadOnlyMemory<byte> Signature)>[] taken = votes.ToArray();
        var agreed = new List<(int ReplicaId, ReadOnlyMemory<byte> Signature)>(taken.Length);
        foreach ((int replica, (byte[] signed, ReadOnlyMemory<byte> signature)) in taken)
        {
            if (statement.SequenceEqual(signed))
            {
                agreed.Add((replica, signature));
            }
        }

        agreed.Sort(static (a, b) => a.ReplicaId.CompareTo(b.ReplicaId));
        return agreed;
    }

    private static bool Counts(View view, int replica, ReplyMessage reply, ConcurrentDictionary<int, (byte[] Statement, ReadOnlyMemory<byte> Signature)> votes)
    {
        if (reply.Status is not (ReplyStatus.Executed or ReplyStatus.Duplicate))
        {
            return true; // a refusal counts as an answer; Q matching ones end the wait
        }

        if (SystemResult.TryDecode(reply.Result.Span, out _) is not { Code: SystemResultCode.Approved, Record: ApprovalRecord record })
        {
            return true;
        }

        byte[] statement = record.Encode();
        if (record.ViewId != view.Id || !view.TryGetMember(replica, out ReplicaMember? member) || member is null ||
            !Ed25519.Verify(member.ViewKey.Key, statement, reply.Attestation.Span))
        {
            return false;
        }

        votes[replica] = (statement, reply.Attestation);
        return true;
    }
}
