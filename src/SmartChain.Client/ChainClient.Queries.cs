using System.Collections.Concurrent;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Client;

/// <summary>Read-only queries: one answer Q replicas agree on, or what each replica says (for status and timeout errors).</summary>
public sealed partial class ChainClient
{
    private long _knownInstance;

    /// <summary>Asks every replica the same read-only query and returns the answer Q of them agree on.</summary>
    /// <exception cref="ChainClientException">No Q matching answers within the timeout.</exception>
    public async Task<QueryResultMessage> QueryAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ulong id = (ulong)Interlocked.Increment(ref _nextQuery);
        var quorum = new Quorum<QueryResultMessage>(_view.Q, static (a, b) => a.Body.Span.SequenceEqual(b.Body.Span),
            a => $"{a.Body.Length} bytes at instance {a.ExecutedInstance}");
        _queries[id] = quorum;
        try
        {
            await BroadcastAsync(FrameType.Query, new QueryMessage(id, body).Encode(), cancellationToken);
            return await WaitAsync(quorum.Completion.Task, () => $"query {id}: {quorum.Describe(AllReplicas())}", cancellationToken);
        }
        finally
        {
            _queries.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Asks every connected replica the same query and returns what each answered within <paramref name="wait"/>
    /// (replicas that did not answer are missing). For status, not for trusted reads.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, QueryResultMessage>> QueryEachAsync(ReadOnlyMemory<byte> body, TimeSpan wait, CancellationToken cancellationToken)
    {
        ulong id = (ulong)Interlocked.Increment(ref _nextQuery);
        var answers = new ConcurrentDictionary<int, QueryResultMessage>();
        var quorum = new Quorum<QueryResultMessage>(Math.Max(1, _live.Length), static (_, _) => true, _ => "");
        _queries[id] = quorum;
        _eachAnswers[id] = answers;
        try
        {
            await BroadcastAsync(FrameType.Query, new QueryMessage(id, body).Encode(), cancellationToken);
            try
            {
                await quorum.Completion.Task.WaitAsync(wait, cancellationToken);
            }
            catch (TimeoutException)
            {
            }

            return new Dictionary<int, QueryResultMessage>(answers);
        }
        finally
        {
            _queries.TryRemove(id, out _);
            _eachAnswers.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// The highest instance this client knows the network decided: from replies it accepted (Q matching, or a verified
    /// receipt) and from <see cref="CurrentInstanceAsync"/>. What a request's not-before should name; 0 before either.
    /// </summary>
    public long KnownInstance => Interlocked.Read(ref _knownInstance);

    /// <summary>
    /// Asks every replica how far it has executed and returns the (f+1)-th highest answer (at least f+1 replicas, one of
    /// them correct, have decided that far, so no lie can push it ahead of the network), or <see cref="KnownInstance"/>
    /// if that is higher or fewer than f+1 answered within the query timeout. Cheap: one status query, no ordering.
    /// </summary>
    public async Task<long> CurrentInstanceAsync(CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<int, QueryResultMessage> answers = await QueryEachAsync(ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(2), cancellationToken);
        long[] executed = [.. answers.Values.Select(a => a.ExecutedInstance)];
        int f = (_view.N - 1) / 3;
        if (executed.Length > f)
        {
            Array.Sort(executed);
            NoteInstance(executed[^(f + 1)]);
        }

        return KnownInstance;
    }

    private void NoteInstance(long instance)
    {
        long known = Interlocked.Read(ref _knownInstance);
        while (instance > known)
        {
            long seen = Interlocked.CompareExchange(ref _knownInstance, instance, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    // Where each replica stands, for a timeout error: an operator sees at once a stalled leader or a lagging replica.
    private async Task<string> ReplicaStatesAsync(CancellationToken cancellationToken)
    {
        try
        {
            IReadOnlyDictionary<int, QueryResultMessage> answers = await QueryEachAsync(ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(1), cancellationToken);
            return "replicas now: " + string.Join("; ", AllReplicas().Select(id =>
                answers.TryGetValue(id, out QueryResultMessage? a) ? $"replica {id}: {a.Describe()}" : $"replica {id}: no answer"));
        }
        catch (Exception e) when (e is OperationCanceledException or ChainClientException)
        {
            return "replicas' state unknown";
        }
    }
}
