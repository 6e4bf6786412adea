namespace SmartChain.Client;

/// <summary>
/// Collects one answer per replica and completes once Q of them match. If the view changes while answers come in, the
/// smaller of the Q it started with and the current view's Q counts (<see cref="CurrentQuorum"/>, <see cref="Reevaluate"/>):
/// a view that shrank (a member left) must not leave a request waiting for a reply that will never come.
/// </summary>
internal sealed class Quorum<T>(int q, Func<T, T, bool> matches, Func<T, string> describe) where T : class
{
    private readonly Dictionary<int, T> _answers = [];

    /// <summary>The request's bytes, sent again over links made while it waits (empty for queries).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>The Q of the view in force now (null: the Q it started with, always).</summary>
    public Func<int>? CurrentQuorum { get; init; }

    private int Needed => Math.Min(q, CurrentQuorum?.Invoke() ?? q);

    /// <summary>Completes if the answers in hand already make a quorum (after the view changed).</summary>
    public void Reevaluate()
    {
        lock (_answers)
        {
            foreach (T answer in _answers.Values)
            {
                if (_answers.Values.Count(other => matches(answer, other)) >= Needed)
                {
                    Completion.TrySetResult(Representative(answer));
                    return;
                }
            }
        }
    }

    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Among matching answers, the kind to complete with when the quorum holds one (null: the answer that completed it).
    /// A reply is answered Duplicate by a replica that took the client's copy after deciding the leader's: the quorum
    /// completes with an Executed one when any replica sent it.
    /// </summary>
    public Func<T, bool>? Preferred { get; init; }

    private T Representative(T answer)
    {
        if (Preferred is not { } preferred || preferred(answer))
        {
            return answer;
        }

        foreach (T other in _answers.Values)
        {
            if (preferred(other) && matches(answer, other))
            {
                return other;
            }
        }

        return answer;
    }

    /// <summary>Filters answers before they count (null: all count).</summary>
    public Func<int, T, bool>? Admit { get; init; }

    public void Offer(int replica, T answer)
    {
        if (Admit is { } admit && !admit(replica, answer))
        {
            return;
        }

        lock (_answers)
        {
            if (!_answers.TryAdd(replica, answer))
            {
                return;
            }

            int agreeing = 0;
            foreach (T other in _answers.Values)
            {
                if (matches(answer, other))
                {
                    agreeing++;
                }
            }

            if (agreeing >= Needed)
            {
                Completion.TrySetResult(Representative(answer));
            }
        }
    }

    public string Describe(IEnumerable<int> replicas)
    {
        lock (_answers)
        {
            return string.Join(", ", replicas.Select(r => _answers.TryGetValue(r, out T? a) ? $"replica {r}: {describe(a)}" : $"replica {r}: no answer"));
        }
    }
}
