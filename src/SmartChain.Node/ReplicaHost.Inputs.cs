using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SmartChain.Node;

/// <summary>
/// The order in which the consensus loop takes its inputs: replica traffic, ticks and state transfer first (up to
/// <see cref="ReplicaTurn"/> of them), then up to <see cref="ClientBudget.RequestsPerTurn"/> client requests, and
/// again. A flood of client requests therefore waits in its own bounded queue and never delays a vote or a timeout
/// by more than one client turn (64 pool insertions, microseconds each).
/// </summary>
public sealed partial class ReplicaHost
{
    // Replica inputs taken before client requests get a turn, so replica traffic cannot starve clients either.
    private const int ReplicaTurn = 1024;
    private int _clientDoorbell;

    // Called after a request was queued: wakes the loop if it may be waiting on the main channel only. The flag keeps
    // the main channel from filling with wake-ups (one is outstanding at most).
    private void RingClientDoorbell()
    {
        if (Interlocked.Exchange(ref _clientDoorbell, 1) == 0)
        {
            _inputs.Writer.TryWrite(NodeInput.ClientsWaiting.Instance);
        }
    }

    private IAsyncEnumerable<NodeInput> PrioritizedInputsAsync(CancellationToken cancellationToken) =>
        Prioritized(_inputs.Reader, _clientInputs, _options.Clients.RequestsPerTurn, () => Volatile.Write(ref _clientDoorbell, 0), cancellationToken);

    /// <summary>
    /// Up to <see cref="ReplicaTurn"/> inputs of <paramref name="replicas"/>, then up to <paramref name="perTurn"/> client
    /// requests, and again; ends when <paramref name="replicas"/> completes.
    /// </summary>
    internal static async IAsyncEnumerable<NodeInput> Prioritized(ChannelReader<NodeInput> replicas, ClientInputQueue clients, int perTurn,
        Action clearDoorbell, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            for (int i = 0; i < ReplicaTurn && replicas.TryRead(out NodeInput? input); i++)
            {
                if (input is not NodeInput.ClientsWaiting)
                {
                    yield return input;
                }
            }

            // Cleared before the queue is read: a request queued after this line rings again.
            clearDoorbell();
            for (int i = 0; i < perTurn && clients.TryDequeue(out NodeInput.ClientRequest request); i++)
            {
                yield return request;
            }

            if (clients.Count > 0 || replicas.Count > 0)
            {
                continue;
            }

            if (!await replicas.WaitToReadAsync(cancellationToken))
            {
                yield break;
            }
        }
    }
}
