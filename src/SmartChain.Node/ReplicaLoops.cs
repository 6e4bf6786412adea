using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SmartChain.Node;

/// <summary>
/// The host's own loops (the consensus tick, the ledger's retransmission beat, the periodic status line) and the
/// supervision of the components' loops: what stops the replica when one of them fails.
/// </summary>
internal static class ReplicaLoops
{
    /// <summary>
    /// A loop of the replica: the replica's stop ends it quietly; any other end by an exception (a cancellation or a closed
    /// channel while the replica is not stopping included) (a failed fsync, an invariant violation, a
    /// bug in the peer pump or the executor) is logged by <paramref name="failed"/> and stops the replica through
    /// <paramref name="stop"/> rather than letting it continue inconsistent, deaf, ordering without executing, or replying
    /// on unknown durability. Every loop the host starts runs under this: one that failed alone left the others running
    /// on without it, and <see cref="ReplicaHost.Completion"/> (what <c>node run</c> waits for) never completed.
    /// </summary>
    public static async Task SuperviseAsync(Task loop, Action<Exception> failed, CancellationTokenSource stop)
    {
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException && stop.IsCancellationRequested)
        {
            // The replica is stopping: its token is cancelled first, then its channels are completed.
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // A cancellation or a closed channel that is not the replica's stop (a token of the loop's own, a channel
            // completed by mistake) would otherwise end this loop quietly and leave the others running without it.
            failed(e);
            stop.Cancel();
            throw new InvalidOperationException($"a loop ended on {e.GetType().Name} while the replica was not stopping", e);
        }
        catch (Exception e)
        {
            failed(e);
            stop.Cancel(); // on this loop's context, not the thread pool (see ReplicaHost.DisposeAsync)
            throw;
        }
    }

    /// <summary>
    /// Waits for every loop to end on stop. Every loop runs under <see cref="SuperviseAsync"/>, so one that failed has
    /// already logged why (critical) and stopped the replica; disposal still releases everything, whatever it threw.
    /// </summary>
    public static async Task JoinAsync(List<Task> loops)
    {
        try
        {
            await Task.WhenAll(loops);
        }
        catch (Exception)
        {
        }
    }

    /// <summary>
    /// Sends the ledger loop a <see cref="LedgerInput.Retransmit"/> once a second, until <paramref name="stop"/>. The
    /// consensus clock's ticks come from the consensus thread itself (<see cref="Ordering.ConsensusDriver.Start"/>): at
    /// 100 a second, a timer waking a pool thread to wake that thread was most of an idle replica's CPU.
    /// </summary>
    public static async Task RetransmitBeatAsync(ChannelWriter<LedgerInput> ledger, TimeProvider time, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                ledger.TryWrite(new LedgerInput.Retransmit());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Logs the one-line status <paramref name="readout"/> makes, with the process's GC totals, every 10 s (what an
    /// operator looks at first), until <paramref name="stop"/>.
    /// </summary>
    public static async Task StatusAsync(Func<string> readout, ILogger log, TimeProvider time, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                // The process's GC totals go in the periodic line only, not in Line itself: the simulator quotes Line
                // in its reports, and there every replica shares one process whose totals differ from run to run.
                if (!log.IsEnabled(LogLevel.Information))
                {
                    continue;
                }

                // The line only reads what the components published; a throw while writing it says nothing about the
                // replica's state, so it costs this one line, not the replica (the timer itself failing still stops it).
                string line;
                try
                {
                    line = $"{readout()} {Network.Client.RuntimeCounters.Sample()}";
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    NodeLog.StatusFailed(log, e, $"{e.GetType().Name}: {e.Message}");
                    continue;
                }

                NodeLog.Status(log, line);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
