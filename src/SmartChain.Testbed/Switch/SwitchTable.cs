namespace SmartChain.Testbed.Switch;

/// <summary>
/// The bridge's forwarding table for one shape generation, immutable: reader threads read the current one without
/// locks and the control thread swaps in a new one when the shape changes.
/// </summary>
internal sealed class SwitchTable(IReadOnlyList<SwitchPort> ports, IReadOnlyDictionary<ulong, SwitchPort> byMac, HashSet<(int, int)> cuts, long generation)
{
    public IReadOnlyList<SwitchPort> Ports { get; } = ports;

    public long Generation { get; } = generation;

    /// <summary>The port that owns Ethernet address <paramref name="mac"/> (6 bytes, as a number), if any.</summary>
    public SwitchPort? PortOf(ulong mac) => byMac.GetValueOrDefault(mac);

    /// <summary>True if nothing may pass between ports <paramref name="a"/> and <paramref name="b"/>.</summary>
    public bool IsCut(int a, int b) => cuts.Contains(a < b ? (a, b) : (b, a));
}
