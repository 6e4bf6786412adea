using SmartChain.Core;

namespace SmartChain.ReplicaSimulation;

/// <summary>
/// The deterministic scheduler: every simulated process is a <see cref="SimContext"/>; each step runs the oldest item of
/// one context with work, chosen by the seeded generator (FIFO within a context, seeded interleaving between them). When
/// no context has work, virtual time jumps to the next due timer (a tick, a timeout, a message in flight) and fires it.
/// Everything runs on the thread that calls <see cref="RunUntil"/>.
/// </summary>
internal sealed class SimScheduler(ulong seed)
{
    private readonly List<SimContext> _contexts = [];
    private readonly List<SimContext> _ready = [];
    private SplitMix64 _random = new(seed ^ 0x5EED_5C4E_D01E_0000UL);
    private long _escapes;

    /// <summary>The one thread everything runs on (the caller of <see cref="RunUntil"/>).</summary>
    public int ThreadId { get; set; } = Environment.CurrentManagedThreadId;

    /// <summary>Virtual time: every replica's clock.</summary>
    public VirtualTime Time { get; } = new();

    /// <summary>Items run so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Posts that came from another thread (work that escaped the simulator).</summary>
    public long Escapes => Interlocked.Read(ref _escapes);

    /// <summary>Where the first escape came from, for the report.</summary>
    public string? FirstEscape { get; private set; }

    /// <summary>A new process context.</summary>
    public SimContext NewContext(string name)
    {
        var context = new SimContext(this, name);
        _contexts.Add(context);
        return context;
    }

    public void NoteEscape(string name)
    {
        if (Interlocked.Increment(ref _escapes) == 1)
        {
            FirstEscape = $"{name}: {Environment.StackTrace}";
        }
    }

    /// <summary>
    /// Runs until <paramref name="done"/> holds (true) or virtual time passes <paramref name="untilTicks"/> or nothing is
    /// left to run (false).
    /// </summary>
    public bool RunUntil(Func<bool> done, long untilTicks)
    {
        ThreadId = Environment.CurrentManagedThreadId;
        while (true)
        {
            if (done())
            {
                return true;
            }

            if (RunOne())
            {
                continue;
            }

            if (!Time.TryPeekDue(out long due) || due > untilTicks)
            {
                return false;
            }

            SynchronizationContext? before = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(null); // timer callbacks run outside every process
            try
            {
                Time.AdvanceToNext();
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(before);
            }
        }
    }

    private bool RunOne()
    {
        _ready.Clear();
        _contexts.RemoveAll(static c => c.Dead);
        foreach (SimContext context in _contexts)
        {
            if (context.Pending > 0)
            {
                _ready.Add(context);
            }
        }

        if (_ready.Count == 0)
        {
            return false;
        }

        SimContext chosen = _ready[(int)(_random.Next() % (ulong)_ready.Count)];
        Steps++;
        return chosen.RunOne();
    }

    /// <summary>A draw from the run's generator (faults, delays), so one seed fixes everything.</summary>
    public ulong Next() => _random.Next();
}
