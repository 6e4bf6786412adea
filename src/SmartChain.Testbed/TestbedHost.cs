namespace SmartChain.Testbed;

/// <summary>
/// One host of the testbed: a network namespace with one link (a veth pair) to the bridge. Replica hosts are named
/// r0, r1, …; the client host is named c.
/// </summary>
/// <param name="Name">The host's short name (r0, r1, …, c); also the name of its veth end in the bridge namespace.</param>
/// <param name="Namespace">The network namespace (see <c>ip netns list</c>).</param>
/// <param name="Address">The host's IPv4 address, inside the testbed's subnet.</param>
/// <param name="Mac">The host's Ethernet address (fixed, so the bridge needs no learning).</param>
/// <param name="ReplicaId">The replica id this host is for, or null for the client host.</param>
public sealed record TestbedHost(string Name, string Namespace, string Address, string Mac, int? ReplicaId)
{
    /// <summary>The client host's name.</summary>
    public const string ClientName = "c";

    /// <summary>The name of replica <paramref name="id"/>'s host.</summary>
    public static string ReplicaName(int id) => $"r{id}";
}
