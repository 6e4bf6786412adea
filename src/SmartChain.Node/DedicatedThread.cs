using System.Collections.Concurrent;

namespace SmartChain.Node;

/// <summary>
/// One named thread with a <see cref="SynchronizationContext"/> of its own: an async loop started here resumes on
/// this thread after every await, so the consensus core is only ever touched by one thread, without blocking
/// waits on tasks.
/// </summary>
internal sealed class DedicatedThread : SynchronizationContext, IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _work = [];
    private readonly Thread _thread;

    public DedicatedThread(string name)
    {
        _thread = new Thread(Pump) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The thread's managed id, for tests that check where code ran.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Runs <paramref name="loop"/> on the thread; the returned task completes when the loop does.</summary>
    public Task Run(Func<Task> loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(_ =>
        {
            Task task;
            try
            {
                task = loop();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
                return;
            }

            task.ContinueWith(t =>
            {
                if (t.IsFaulted)
                {
                    done.TrySetException(t.Exception!.InnerExceptions);
                }
                else if (t.IsCanceled)
                {
                    done.TrySetCanceled();
                }
                else
                {
                    done.TrySetResult();
                }
            }, TaskScheduler.Default);
        }, null);
        return done.Task;
    }

    /// <inheritdoc />
    public override void Post(SendOrPostCallback d, object? state)
    {
        if (!_work.IsAddingCompleted)
        {
            _work.TryAdd((d, state));
        }
    }

    /// <inheritdoc />
    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("the consensus thread runs work asynchronously only");

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    public void Dispose()
    {
        _work.CompleteAdding();
        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            _thread.Join(TimeSpan.FromSeconds(10));
        }

        _work.Dispose();
    }

    private void Pump()
    {
        SetSynchronizationContext(this);
        foreach ((SendOrPostCallback callback, object? state) in _work.GetConsumingEnumerable())
        {
            callback(state);
        }
    }
}
