using System.Globalization;
using SmartChain.Core;

namespace SmartChain.ReplicaSimulation;

/// <summary>What a run's reconfiguration does (drawn from its seed, in about 40 % of seeds).</summary>
internal enum SimReconfigurationKind
{
    /// <summary>No reconfiguration.</summary>
    None,

    /// <summary>Replica 4 joins (4 → 5 members).</summary>
    Join,

    /// <summary>Replica 4 joins, then a member leaves (5 → 4): the joiner or a founder.</summary>
    JoinThenLeave,

    /// <summary>Replica 4 joins, then f+1 members vote a member out (5 → 4).</summary>
    JoinThenExclude,
}

/// <summary>
/// The reconfiguration of one run, drawn from its seed with a generator of its own (so the faults a seed drew before
/// reconfigurations were drawn stay the same): when replica <see cref="SimReconfiguration.Joiner"/> joins, endorsed by
/// which member, and then which member leaves or is excluded, and by whose votes. A view keeps at least four members,
/// so a LEAVE or an EXCLUDE follows a JOIN. The member removed is never one the run crashes: a crashed replica is the
/// one faulty replica the view may have (f = 1 with four or five members).
/// </summary>
internal sealed record SimReconfiguration
{
    private const long Ms = TimeSpan.TicksPerMillisecond;

    /// <summary>The id the joiner gets: the founders are 0..3.</summary>
    public const int Joiner = 4;

    public SimReconfigurationKind Kind { get; init; }

    /// <summary>When the joiner sends its JOIN (ticks).</summary>
    public long JoinAt { get; init; }

    /// <summary>The member whose identity key endorses the joiner.</summary>
    public int Endorser { get; init; }

    /// <summary>How long after the joiner is admitted the removal starts (ticks).</summary>
    public long RemoveAfter { get; init; }

    /// <summary>The member that leaves or is excluded.</summary>
    public int Removed { get; init; } = -1;

    /// <summary>The f+1 = 2 members voting to exclude <see cref="Removed"/>.</summary>
    public IReadOnlyList<int> Voters { get; init; } = [];

    /// <summary>Draws a run's reconfiguration from <paramref name="seed"/>, given its faults.</summary>
    public static SimReconfiguration Draw(ulong seed, SimFaults faults)
    {
        var random = new SplitMix64((seed * 0xD1B54A32D192ED03UL) + 41);
        if (!random.Chance(0.4))
        {
            return new SimReconfiguration();
        }

        var kind = (SimReconfigurationKind)(1 + (int)random.NextBelow(3));
        long joinAt = (200 + (long)random.NextBelow((ulong)Math.Max(1, faults.QuietAt / Ms / 2))) * Ms;
        int endorser = (int)random.NextBelow(4);
        long removeAfter = (long)random.NextBelow(1500) * Ms;

        // The member removed: the joiner, or a founder the run does not crash.
        int[] candidates = [.. Enumerable.Range(0, 4).Where(i => faults.Crashes.All(c => c.Replica != i)).Append(Joiner)];
        int removed = kind == SimReconfigurationKind.Join ? -1 : candidates[random.NextBelow((ulong)candidates.Length)];
        int[] others = [.. Enumerable.Range(0, Joiner + 1).Where(i => i != removed)];
        int first = others[random.NextBelow((ulong)others.Length)];
        int[] rest = [.. others.Where(i => i != first)];
        int second = rest[random.NextBelow((ulong)rest.Length)];
        return new SimReconfiguration
        {
            Kind = kind,
            JoinAt = joinAt,
            Endorser = endorser,
            RemoveAfter = removeAfter,
            Removed = removed,
            Voters = kind == SimReconfigurationKind.JoinThenExclude ? [first, second] : [],
        };
    }

    public override string ToString() => Kind switch
    {
        SimReconfigurationKind.None => "none",
        SimReconfigurationKind.Join => string.Create(CultureInfo.InvariantCulture, $"join r{Joiner} at {JoinAt / Ms} ms endorsed by r{Endorser}"),
        SimReconfigurationKind.JoinThenLeave => string.Create(CultureInfo.InvariantCulture,
            $"join r{Joiner} at {JoinAt / Ms} ms endorsed by r{Endorser}, then r{Removed} leaves {RemoveAfter / Ms} ms later"),
        _ => string.Create(CultureInfo.InvariantCulture,
            $"join r{Joiner} at {JoinAt / Ms} ms endorsed by r{Endorser}, then r{string.Join(" and r", Voters)} exclude r{Removed} {RemoveAfter / Ms} ms later"),
    };
}
