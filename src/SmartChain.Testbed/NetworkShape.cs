namespace SmartChain.Testbed;

/// <summary>
/// What the bridge applies: each host link's profile and the host pairs that are cut. The testbed saves it in its state
/// file (<c>netns.json</c>) with a new <see cref="Generation"/> and signals the bridge (SIGHUP), which re-reads the file,
/// applies it and writes the generation to <c>netns-shape.applied</c>; a change returns only once the bridge applied it.
/// </summary>
public sealed record NetworkShape
{
    /// <summary>The file the bridge writes the applied generation to.</summary>
    public const string AppliedFileName = "netns-shape.applied";

    /// <summary>Increases with every change.</summary>
    public long Generation { get; init; }

    /// <summary>The seed of the bridge's loss, duplication, reorder and jitter draws.</summary>
    public long Seed { get; init; }

    /// <summary>Profile of each host's link, by host name.</summary>
    public IReadOnlyDictionary<string, LinkProfile> Links { get; init; } = new Dictionary<string, LinkProfile>();

    /// <summary>Cut host pairs, each as "a|b" with a &lt; b (ordinal): nothing passes between them, either way.</summary>
    public IReadOnlyList<string> Cuts { get; init; } = [];

    /// <summary>The key of the pair a, b in <see cref="Cuts"/>.</summary>
    public static string CutKey(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a}|{b}" : $"{b}|{a}";

    /// <summary>The replica pairs a partition into <paramref name="groups"/> cuts: those that share no group.</summary>
    internal static List<string> PartitionCuts(IEnumerable<TestbedHost> hosts, List<HashSet<int>> groups)
    {
        List<TestbedHost> replicas = [.. hosts.Where(h => h.ReplicaId is not null)];
        var cuts = new List<string>();
        foreach (TestbedHost a in replicas)
        {
            foreach (TestbedHost b in replicas.Where(b => b.ReplicaId > a.ReplicaId))
            {
                if (!groups.Any(s => s.Contains(a.ReplicaId!.Value) && s.Contains(b.ReplicaId!.Value)))
                {
                    cuts.Add(NetworkShape.CutKey(a.Name, b.Name));
                }
            }
        }

        return cuts;
    }
}
