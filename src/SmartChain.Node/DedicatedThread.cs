using System.Diagnostics;

namespace SmartChain.Node;

/// <summary>
/// One named thread with a <see cref="SynchronizationContext"/> of its own: an async loop started here resumes on
/// this thread after every await, so the consensus core is only ever touched by one thread, without blocking
/// waits on tasks. It can also keep a beat (<see cref="Beat"/>): a callback run on the thread itself at a fixed period,
/// between work items, so a periodic input costs no timer thread and no pool thread waking this one.
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
    private Action? _beat; // under the lock, with the two below
    private long _beatPeriod;
    private long _nextBeat;

    public DedicatedThread(string name)
    {
        _thread = new Thread(Pump) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>
    /// Runs <paramref name="beat"/> on the thread every <paramref name="period"/>, first one period from now, whether the
    /// thread is idle or busy (it runs between work items); a beat that falls more than a period behind is skipped, as
    /// a <see cref="PeriodicTimer"/> does.
    /// </summary>
    public void Beat(TimeSpan period, Action beat)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(beat);
        lock (_work)
        {
            _beatPeriod = Math.Max(1, (long)(period.TotalSeconds * Stopwatch.Frequency));
            _nextBeat = Stopwatch.GetTimestamp() + _beatPeriod;
            _beat = beat;
            Monitor.Pulse(_work); // a waiting thread takes the new timeout
        }
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
            Action? beat = null;
            lock (_work)
            {
                while (true)
                {
                    long now = Stopwatch.GetTimestamp();
                    if (_beat is not null && now >= _nextBeat)
                    {
                        beat = _beat;
                        _nextBeat = now - _nextBeat >= _beatPeriod ? now + _beatPeriod : _nextBeat + _beatPeriod;
                    }

                    if (beat is not null || _work.Count > 0 || _completed)
                    {
                        break;
                    }

                    _waiting = true;
                    if (_beat is null)
                    {
                        Monitor.Wait(_work);
                    }
                    else
                    {
                        // Whole milliseconds, rounded up: a wait of 0 would return at once and spin until the beat is due.
                        Monitor.Wait(_work, (int)Math.Max(1, Math.Ceiling((_nextBeat - now) * 1000.0 / Stopwatch.Frequency)));
                    }

                    _waiting = false;
                }

                if (_work.Count == 0 && _completed)
                {
                    return;
                }

                while (_work.TryDequeue(out var item))
                {
                    batch.Enqueue(item);
                }
            }

            beat?.Invoke();
            while (batch.TryDequeue(out var item))
            {
                item.Callback(item.State);
            }
        }
    }
}
