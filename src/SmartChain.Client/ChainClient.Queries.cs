using System.Collections.Concurrent;
using SmartChain.Network;
using SmartChain.Network.Client;

namespace SmartChain.Client;

/// <summary>Read-only queries: one answer Q replicas agree on, or what each replica says (for status and timeout errors).</summary>
public sealed partial class ChainClient
{
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
