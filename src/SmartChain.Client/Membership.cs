using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Network.Client;
using SmartChain.Reconfiguration.Operations;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Client;

/// <summary>
/// The client side of reconfiguration (SPEC §5): joining (JOIN, collect Q votes, RECONFIGURE with the join
/// certificate), leaving, and voting to exclude. Each returns the system result the network agreed on, or throws with
/// the network's reason.
/// </summary>
public static class Membership
{
    /// <summary>How often a join is tried again when the view changed between its approval and its certificate.</summary>
    public const int MaxJoinAttempts = 4;

    /// <summary>
    /// Joins the network as the replica described by <paramref name="join"/>, signing with <paramref name="identity"/>:
    /// JOIN, then the join certificate. Returns the view that admits it.
    /// </summary>
    /// <exception cref="ChainClientException">The network refused the join (the message says why), or did not answer.</exception>
    public static async Task<View> JoinAsync(ChainClient client, string chainId, Ed25519KeyPair identity, JoinOperation join, Action<string>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(join);
        for (int attempt = 1; ; attempt++)
        {
            SignedRequest joinRequest = join.Sign(chainId, identity, NextSequence(), await client.CurrentInstanceAsync(cancellationToken));
            (SystemResult approval, IReadOnlyList<(int ReplicaId, ReadOnlyMemory<byte> Signature)> votes) = await client.SubmitForVotesAsync(joinRequest, cancellationToken);
            if (approval.Code != SystemResultCode.Approved)
            {
                throw new ChainClientException($"the network refused the JOIN of replica {join.ReplicaId}: {approval.Reason ?? approval.ToString()}");
            }

            ApprovalRecord record = approval.Record!;
            progress?.Invoke($"JOIN {approval}; {votes.Count} votes ({string.Join(", ", votes.Select(v => v.ReplicaId))})");
            SignedRequest certificate = new ReconfigureOperation(joinRequest, record, votes).Sign(chainId, identity, NextSequence(), client.KnownInstance);
            SystemResult installed = await SubmitAsync(client, certificate, "join certificate", cancellationToken);
            if (installed.Code == SystemResultCode.ViewInstalled)
            {
                progress?.Invoke($"join certificate ordered: {installed}");
                await client.RefreshViewAsync(cancellationToken);
                return installed.View!;
            }

            if (attempt >= MaxJoinAttempts || installed.Reason?.Contains("the current view is", StringComparison.Ordinal) != true)
            {
                throw new ChainClientException($"the network refused the join certificate of replica {join.ReplicaId}: {installed.Reason}");
            }

            progress?.Invoke($"the view changed before the certificate was ordered ({installed.Reason}); joining again");
            await client.RefreshViewAsync(cancellationToken);
        }
    }

    /// <summary>Member <paramref name="replicaId"/> leaves; <paramref name="identity"/> must be its identity key. Returns the view without it.</summary>
    /// <exception cref="ChainClientException">The network refused (the message says why), or did not answer.</exception>
    public static async Task<View> LeaveAsync(ChainClient client, string chainId, Ed25519KeyPair identity, int replicaId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        SystemResult result = await SubmitAsync(client, new LeaveOperation(replicaId).Sign(chainId, identity, NextSequence(), await client.CurrentInstanceAsync(cancellationToken)), "LEAVE", cancellationToken);
        return result.Code == SystemResultCode.ViewInstalled ? result.View!
            : throw new ChainClientException($"the network refused the LEAVE of replica {replicaId}: {result.Reason}");
    }

    /// <summary>
    /// The member with identity <paramref name="identity"/> votes to exclude <paramref name="target"/>. Returns the result:
    /// the vote counted (below f+1), or the view without the target.
    /// </summary>
    /// <exception cref="ChainClientException">The network refused (the message says why), or did not answer.</exception>
    public static async Task<SystemResult> ExcludeAsync(ChainClient client, string chainId, Ed25519KeyPair identity, int target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        SystemResult result = await SubmitAsync(client, new ExcludeOperation(target).Sign(chainId, identity, NextSequence(), await client.CurrentInstanceAsync(cancellationToken)), "exclusion vote", cancellationToken);
        return result.Code == SystemResultCode.Rejected
            ? throw new ChainClientException($"the network refused the exclusion vote against replica {target}: {result.Reason}")
            : result;
    }

    private static async Task<SystemResult> SubmitAsync(ChainClient client, SignedRequest request, string what, CancellationToken cancellationToken)
    {
        ReplyMessage reply = await client.SubmitAsync(request, cancellationToken);
        if (reply.Status == ReplyStatus.Rejected)
        {
            // Refused at the door (Q replicas agree): it could not succeed in the view they are in.
            return SystemResult.Rejected(System.Text.Encoding.UTF8.GetString(reply.Result.Span));
        }

        if (reply.Status is not (ReplyStatus.Executed or ReplyStatus.Duplicate))
        {
            throw new ChainClientException($"the {what} was not ordered ({reply.Status}): {System.Text.Encoding.UTF8.GetString(reply.Result.Span)}");
        }

        return SystemResult.TryDecode(reply.Result.Span, out string? error)
            ?? throw new ChainClientException($"the replicas' answer to the {what} is not a system result: {error}");
    }

    // Separate processes may share an identity key (node join, node leave): a time-based sequence keeps each above the last.
    private static long _last;

    private static ulong NextSequence()
    {
        long now = DateTime.UtcNow.Ticks;
        long previous = Interlocked.Read(ref _last);
        long next = Math.Max(now, previous + 1);
        while (Interlocked.CompareExchange(ref _last, next, previous) != previous)
        {
            previous = Interlocked.Read(ref _last);
            next = Math.Max(now, previous + 1);
        }

        return (ulong)next;
    }
}
