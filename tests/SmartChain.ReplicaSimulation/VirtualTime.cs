namespace SmartChain.ReplicaSimulation;

/// <summary>
/// Virtual time for the whole-replica simulator: a <see cref="TimeProvider"/> whose clock moves only when the scheduler
/// advances it to the next due timer. Timers due at the same instant fire in the order they were armed, so a run replays.
/// </summary>
internal sealed class VirtualTime : TimeProvider
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PriorityQueue<VirtualTimer, (long Due, long Order)> _due = new();
    private long _order;

    /// <summary>Virtual now, in ticks (100 ns) since the start of the run.</summary>
    public long Now { get; private set; }

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override long GetTimestamp() => Now;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(Now);

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new VirtualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>When the next armed timer is due, if any.</summary>
    public bool TryPeekDue(out long due)
    {
        while (_due.TryPeek(out VirtualTimer? timer, out (long Due, long Order) key))
        {
            if (timer.Armed == key.Order)
            {
                due = key.Due;
                return true;
            }

            _due.Dequeue(); // re-armed or disposed since
        }

        due = 0;
        return false;
    }

    /// <summary>Moves the clock to the next due timer and fires every timer due then; false if none is armed.</summary>
    public bool AdvanceToNext()
    {
        if (!TryPeekDue(out long due))
        {
            return false;
        }

        Now = Math.Max(Now, due);
        while (TryPeekDue(out long next) && next <= Now)
        {
            VirtualTimer timer = _due.Dequeue();
            timer.Fire();
        }

        return true;
    }

    internal void Arm(VirtualTimer timer, long dueTicks)
    {
        long order = ++_order;
        timer.Armed = order;
        _due.Enqueue(timer, (Now + dueTicks, order));
    }

    internal sealed class VirtualTimer(VirtualTime time, TimerCallback callback, object? state) : ITimer
    {
        private long _period = -1;

        // The order stamp of the live entry in the queue (0: not armed); stale queue entries are skipped.
        public long Armed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Armed = 0;
            _period = period == Timeout.InfiniteTimeSpan ? -1 : Math.Max(1, period.Ticks);
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                time.Arm(this, Math.Max(0, dueTime.Ticks));
            }

            return true;
        }

        public void Fire()
        {
            Armed = 0;
            if (_period > 0)
            {
                time.Arm(this, _period);
            }

            callback(state);
        }

        public void Dispose() => Armed = 0;

        public ValueTask DisposeAsync()
        {
            Armed = 0;
            return ValueTask.CompletedTask;
        }
    }
}
