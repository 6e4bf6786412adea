namespace SmartChain.Node;

/// <summary>
/// One named thread with a <see cref="SynchronizationContext"/> of its own: an async loop started here resumes on
/// this thread after every await, so the consensus core is only ever touched by one thread, without blocking
/// waits on tasks.
/// </summary>
internal sealed class DedicatedThread : SynchronizationContext, IDisposable
{
    // Work waits in a plain queue under a lock, and the thread sleeps in Monitor.Wait when it is empty. Not a
    // BlockingCollection: its SemaphoreSlim spins (sched_yield) before it blocks, which on a machine whose cores other
    // replicas need took about half of this thread's CPU (docs/performance.md, "Cutting the CPU per transaction").
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _work = new();
    private readonly Thread _thread;
    private bool _waiting; // under the lock: the thread sleeps, so a Post must pulse
    private bool _completed; // under the lock: no more work is taken

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
        lock (_work)
        {
            if (_completed)
            {
                return;
            }

            _work.Enqueue((d, state));
            if (_waiting)
            {
                Monitor.Pulse(_work);
            }
        }
    }

    /// <inheritdoc />
    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("the consensus thread runs work asynchronously only");

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    public void Dispose()
    {
        lock (_work)
        {
            _completed = true;
            Monitor.Pulse(_work);
        }

        if (Environment.CurrentManagedThreadId != _thread.ManagedThreadId)
        {
            _thread.Join(TimeSpan.FromSeconds(10));
        }
    }

    // Takes everything queued at once (one lock per burst, not per item) and runs it outside the lock. Work posted
    // before Dispose still runs, as it did when the queue completed for adding but was drained.
    private void Pump()
    {
        SetSynchronizationContext(this);
        var batch = new Queue<(SendOrPostCallback Callback, object? State)>();
        while (true)
        {
            lock (_work)
            {
                while (_work.Count == 0 && !_completed)
                {
                    _waiting = true;
                    Monitor.Wait(_work);
                    _waiting = false;
                }

                if (_work.Count == 0)
                {
                    return;
                }

                while (_work.TryDequeue(out var item))
                {
                    batch.Enqueue(item);
                }
            }

            while (batch.TryDequeue(out var item))
            {
                item.Callback(item.State);
            }
        }
    }
}
