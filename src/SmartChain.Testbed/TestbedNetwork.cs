using System.Security.Cryptography;

namespace SmartChain.Testbed;

/// <summary>The <c>ip</c> steps that build the testbed's network: subnet choice, namespaces, veth links, addresses.</summary>
internal static class TestbedNetwork
{
    /// <summary>The state of a testbed about to be created: prefix, subnet, hosts, addresses, initial shape.</summary>
    internal static TestbedState Plan(TestbedOptions options)
    {
        Ipv4Subnet subnet = TestbedNetwork.ChooseSubnet(options.Subnet);
        string prefix = options.Prefix ?? "sc" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        if (TestbedNetwork.ExistingNamespaces().Any(ns => ns.StartsWith(prefix + "-", StringComparison.Ordinal)))
        {
            throw new TestbedException($"namespaces named {prefix}-… exist already (another run?); choose another prefix");
        }

        byte[] mac = RandomNumberGenerator.GetBytes(2);
        string macPrefix = $"02:5c:{mac[0]:x2}:{mac[1]:x2}:";
        var hosts = new List<TestbedHost>();
        for (int i = 0; i < options.Replicas; i++)
        {
            hosts.Add(TestbedNetwork.ReplicaHost(prefix, macPrefix, subnet, i));
        }

        hosts.Add(new TestbedHost(TestbedHost.ClientName, $"{prefix}-c", subnet.Host(250), macPrefix + "00:fa", null));
        var links = hosts.ToDictionary(h => h.Name, h => h.ReplicaId is int id ? options.Far.Contains(id) ? options.FarProfile : options.Profile : options.ClientProfile);
        var state = new TestbedState
        {
            Prefix = prefix,
            Subnet = subnet.ToString(),
            MacPrefix = macPrefix,
            Hosts = hosts,
            Namespaces = [$"{prefix}-br", .. hosts.Select(h => h.Namespace)],
            Shape = new NetworkShape { Generation = 1, Seed = options.Seed, Links = links },
            SmartChainCommand = options.SmartChainCommand,
        };
        return state;
    }

    internal static IReadOnlyList<string> ExistingNamespaces() =>
        [.. Shell.Run("ip", "netns", "list").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0])];

    internal static TestbedHost ReplicaHost(string prefix, string macPrefix, Ipv4Subnet subnet, int id) =>
        new(TestbedHost.ReplicaName(id), $"{prefix}-r{id}", subnet.Host(1 + id), macPrefix + $"{(id + 1) >> 8:x2}:{(id + 1) & 0xff:x2}", id);

    internal static Ipv4Subnet ChooseSubnet(string? wanted)
    {
        string routes = Shell.Run("ip", "-j", "-4", "route", "show", "table", "all");
        string addresses = Shell.Run("ip", "-j", "-4", "addr", "show");
        if (wanted is not null)
        {
            Ipv4Subnet subnet = Ipv4Subnet.Parse(wanted);
            if (subnet.PrefixLength != 24)
            {
                throw new TestbedException($"--subnet {wanted}: give a /24");
            }

            List<string> conflicts = [.. IsolationCheck.HostConflicts(subnet, routes, addresses)];
            return conflicts.Count == 0 ? subnet : throw new TestbedException($"refusing to start: {string.Join("; ", conflicts)}");
        }

        for (int attempt = 0; attempt < 64; attempt++)
        {
            byte[] b = RandomNumberGenerator.GetBytes(2);
            var subnet = Ipv4Subnet.Parse($"10.{b[0]}.{b[1]}.0/24");
            if (!IsolationCheck.HostConflicts(subnet, routes, addresses).Any())
            {
                return subnet;
            }
        }

        throw new TestbedException("found no free 10.x.y.0/24 next to the machine's routes; give one with --subnet");
    }

    internal static void CreateHost(TestbedState state, TestbedHost host, Ipv4Subnet subnet)
    {
        // The veth pair is made inside the bridge namespace with its peer placed straight into the host's namespace,
        // so no end of it ever exists in the machine's own namespace.
        Shell.Run("ip", "netns", "add", host.Namespace);
        DisableIpv6AndForwarding(host.Namespace);
        Shell.Run("ip", "-n", state.BridgeNamespace, "link", "add", host.Name, "type", "veth",
            "peer", "name", "eth0", "address", host.Mac, "netns", host.Namespace);
        Shell.Run("ip", "-n", host.Namespace, "link", "set", "lo", "up");
        Shell.Run("ip", "-n", host.Namespace, "addr", "add", $"{host.Address}/{subnet.PrefixLength}", "dev", "eth0");
        Shell.Run("ip", "-n", host.Namespace, "link", "set", "eth0", "up");
        Shell.Run("ip", "-n", state.BridgeNamespace, "link", "set", host.Name, "up");
    }

    internal static void DisableIpv6AndForwarding(string ns) =>
        Shell.Run("ip", "netns", "exec", ns, "sh", "-c",
            "echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; echo 0 > /proc/sys/net/ipv4/ip_forward");
}
