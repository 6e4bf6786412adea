using System.Runtime.CompilerServices;

namespace SmartChain.TestSupport;

/// <summary>
/// Event counts of a simulation, one per member of <typeparamref name="TEvent"/> (an int enum numbered 0, 1, …), summed
/// over a run or a swarm of seeds and printed as they are or per 1,000 seeds. The simulators' reports (the disk's faults,
/// how replicas answered them, snapshot events) are all this shape; each says only which events it counts and how its
/// line reads.
/// </summary>
public abstract class Tally<TSelf, TEvent>
    where TSelf : Tally<TSelf, TEvent>
    where TEvent : struct, Enum
{
    private readonly long[] _counts = new long[Enum.GetValues<TEvent>().Length];
    private readonly string _label;

    /// <param name="label">What the counts are ("disk events"), the start of the printed line; empty for none.</param>
    protected Tally(string label) => _label = label;

    /// <summary>How many times <paramref name="e"/> happened.</summary>
    public long this[TEvent e]
    {
        get => _counts[Index(e)];
        set => _counts[Index(e)] = value;
    }

    /// <summary>Adds <paramref name="other"/>'s counts to these (a run's to a swarm's).</summary>
    public void Add(TSelf other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        AddMore(other);
    }

    /// <summary>The counts per 1,000 seeds of a swarm of <paramref name="seeds"/>.</summary>
    public string PerThousand(long seeds) => (_label.Length == 0 ? "" : _label + " ") + "per 1,000 seeds: " + Describe(1000.0 / Math.Max(1, seeds));

    /// <inheritdoc />
    public override string ToString() => (_label.Length == 0 ? "" : _label + ": ") + Describe(1);

    /// <summary>The counts, each multiplied by <paramref name="k"/>, as the line prints them.</summary>
    protected abstract string Describe(double k);

    /// <summary>Adds what a report counts beside its events (another tally it holds).</summary>
    protected virtual void AddMore(TSelf other)
    {
    }

    private static int Index(TEvent e) => Unsafe.As<TEvent, int>(ref e);
}
