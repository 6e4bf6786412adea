namespace SmartChain.Testbed;

/// <summary>What <see cref="NamespaceTestbed.Up"/> creates.</summary>
public sealed record TestbedOptions
{
    /// <summary>The testbed folder: the state file, the bridge's log, and whatever the caller keeps there.</summary>
    public required string Folder { get; init; }

    /// <summary>Replica hosts (namespaces r0 … r(n-1)); one client host is always added.</summary>
    public int Replicas { get; init; } = 4;

    /// <summary>The profile of every replica link.</summary>
    public LinkProfile Profile { get; init; } = LinkProfile.Lan;

    /// <summary>Replicas (by id) whose link gets <see cref="FarProfile"/> instead: one replica far from the rest.</summary>
    public IReadOnlyList<int> Far { get; init; } = [];

    /// <summary>The profile of the far replicas' links.</summary>
    public LinkProfile FarProfile { get; init; } = LinkProfile.World;

    /// <summary>The profile of the client host's link (clients in a data centre of their own).</summary>
    public LinkProfile ClientProfile { get; init; } = LinkProfile.Lan;

    /// <summary>The private /24 to use; null picks a free 10.x.y.0/24 at random.</summary>
    public string? Subnet { get; init; }

    /// <summary>Prefix of every namespace name; null makes a unique one (sc + 6 hex digits), so parallel runs never collide.</summary>
    public string? Prefix { get; init; }

    /// <summary>Seed of the bridge's random draws (loss, duplication, reordering, jitter).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>
    /// How to run the <c>smartchain</c> executable (e.g. ["dotnet", "/path/smartchain.dll"]): the bridge is
    /// <c>smartchain netns switch</c> run in the bridge namespace.
    /// </summary>
    public required IReadOnlyList<string> SmartChainCommand { get; init; }

    /// <summary>The most replicas a testbed holds, joins included (addresses .1 … .200 of the /24).</summary>
    public const int MaxReplicas = 200;

    internal void Validate()
    {
        if (Replicas is < 1 or > MaxReplicas)
        {
            throw new TestbedException($"--replicas {Replicas}: must be 1..{MaxReplicas}");
        }

        if (Far.Any(f => f < 0 || f >= Replicas))
        {
            throw new TestbedException($"--far: replica ids must be 0..{Replicas - 1}");
        }

        if (Prefix is { } p && (p.Length is < 2 or > 8 || !p.All(char.IsAsciiLetterOrDigit) || !char.IsAsciiLetterLower(p[0])))
        {
            throw new TestbedException($"prefix '{p}': 2 to 8 lower-case letters or digits, starting with a letter");
        }

        if (SmartChainCommand.Count == 0)
        {
            throw new TestbedException("the smartchain command is empty");
        }

        Profile.Validated();
        FarProfile.Validated();
        ClientProfile.Validated();
    }
}
