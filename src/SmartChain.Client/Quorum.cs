namespace SmartChain.Client;

/// <summary>Collects one answer per replica and completes once Q of them match.</summary>
internal sealed class Quorum<T>(int q, Func<T, T, bool> matches, Func<T, string> describe) where T : class
{
    private readonly Dictionary<int, T> _answers = [];

    public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Offer(int replica, T answer)
    {
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

            if (agreeing >= q)
            {
                Completion.TrySetResult(answer);
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
