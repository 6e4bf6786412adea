namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The "threads" of one simulated process (a replica incarnation, or the clients): a FIFO of posted continuations that
/// only the <see cref="SimScheduler"/> runs, on its one thread. Every loop of the replica started inside it resumes in it
/// after each await. A crashed incarnation's context is <see cref="Kill">killed</see>: what it had queued and anything
/// posted to it later is dropped. A post from another thread means some work escaped to the thread pool: it is counted
/// (a run with escapes is not guaranteed to replay) and still queued, so nothing is lost.
/// </summary>
internal sealed class SimContext(SimScheduler scheduler, string name) : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _work = new();

    /// <summary>For the trace: which process this is.</summary>
    public string Name { get; } = name;

    /// <summary>True once killed.</summary>
    public bool Dead { get; private set; }

    /// <summary>Work waiting to run.</summary>
    public int Pending
    {
        get
        {
            lock (_work)
            {
                return _work.Count;
            }
        }
    }

    /// <inheritdoc />
    public override void Post(SendOrPostCallback d, object? state)
    {
        if (Dead)
        {
            return;
        }

        if (Environment.CurrentManagedThreadId != scheduler.ThreadId)
        {
            scheduler.NoteEscape(Name);
        }

        lock (_work)
        {
            _work.Enqueue((d, state));
        }

    }

    /// <inheritdoc />
    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException($"{Name}: a synchronous Send would block the simulator's one thread");

    /// <inheritdoc />
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Drops everything queued and ignores later posts (a crash).</summary>
    public void Kill()
    {
        Dead = true;
        lock (_work)
        {
            _work.Clear();
        }
    }

    /// <summary>Runs the oldest queued item inside this context; false if none.</summary>
    public bool RunOne()
    {
        (SendOrPostCallback Callback, object? State) item;
        lock (_work)
        {
            if (Dead || !_work.TryDequeue(out item))
            {
                return false;
            }
        }

        SynchronizationContext? before = Current;
        SetSynchronizationContext(this);
        try
        {
            item.Callback(item.State);
        }
        finally
        {
            SetSynchronizationContext(before);
        }

        return true;
    }
}
