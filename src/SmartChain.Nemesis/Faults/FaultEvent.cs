namespace SmartChain.Nemesis.Faults;

/// <summary>
/// One line of a fault timeline: a fault starting or ending, the moment every fault is healed, or a note (the load
/// started, the baseline was taken). Faults carry an id so the plot can pair a start with its end.
/// </summary>
/// <param name="TimeMs">Milliseconds since the run started (the clock of the history).</param>
/// <param name="Phase">"start", "end", "heal" (every fault is over) or "note".</param>
/// <param name="Kind">The fault class, e.g. "partition-leader", "kill", "pause", "loss", "delay", "wipe", "join", "leave".</param>
/// <param name="Description">What was done, to whom, in words.</param>
public sealed record FaultEvent(double TimeMs, string Phase, string Kind, string Description)
{
    /// <summary>Pairs a start with its end (0 for heal and note).</summary>
    public int Id { get; init; }

    /// <summary>Phase of a fault's beginning.</summary>
    public const string Start = "start";

    /// <summary>Phase of a fault's end.</summary>
    public const string End = "end";

    /// <summary>Phase of the moment the last fault ended and the network is whole again.</summary>
    public const string Heal = "heal";

    /// <summary>Phase of an event that is not a fault.</summary>
    public const string Note = "note";
}
