using System.Text.Json;

namespace SmartChain.Testbed;

/// <summary>
/// The rules that keep the testbed off the machine's own network, as pure functions over what <c>ip -j</c> prints
/// (so each rule is unit-tested), plus <see cref="Gather"/>, which asks the kernel. The rules: the subnet is private and
/// shares no address with any route or address of the machine's namespace; in the testbed's namespaces every route
/// stays inside the subnet or on loopback (no default route, no gateway), the only links are loopback and the testbed's
/// own veth ends, and IPv4 forwarding is off; and no link of the run is in the machine's namespace.
/// </summary>
internal static class IsolationCheck
{
    /// <summary>Problems with using <paramref name="subnet"/> next to the machine's own routes and addresses (ip -j route/addr).</summary>
    public static IEnumerable<string> HostConflicts(Ipv4Subnet subnet, string hostRoutesJson, string hostAddressesJson)
    {
        if (!subnet.IsPrivate)
        {
            yield return $"{subnet} is not a private (RFC 1918) range";
        }

        foreach (JsonElement route in Array(hostRoutesJson))
        {
            if (Str(route, "dst") is { } dst && dst != "default" && Ipv4Subnet.TryParse(dst, out Ipv4Subnet r) && r.Overlaps(subnet))
            {
                yield return $"{subnet} overlaps the machine's route to {dst} (dev {Str(route, "dev")}): its traffic could leave the testbed";
            }
        }

        foreach (JsonElement link in Array(hostAddressesJson))
        {
            if (!link.TryGetProperty("addr_info", out JsonElement infos))
            {
                continue;
            }

            foreach (JsonElement info in infos.EnumerateArray())
            {
                if (Str(info, "family") == "inet" && Str(info, "local") is { } local && Ipv4Subnet.TryParse(local, out Ipv4Subnet a) && a.Overlaps(subnet))
                {
                    yield return $"{subnet} holds the machine's own address {local} (dev {Str(link, "ifname")})";
                }
            }
        }
    }

    /// <summary>Routes in namespace <paramref name="ns"/> that could carry traffic out of the subnet.</summary>
    public static IEnumerable<string> RouteViolations(string ns, Ipv4Subnet subnet, string routesJson)
    {
        foreach (JsonElement route in Array(routesJson))
        {
            string dst = Str(route, "dst") ?? "?";
            string dev = Str(route, "dev") ?? "?";
            if (Str(route, "gateway") is { } gateway)
            {
                yield return $"{ns}: route to {dst} via gateway {gateway}";
            }
            else if (dst == "default")
            {
                yield return $"{ns}: default route (dev {dev})";
            }
            else if (dev == "lo")
            {
                // Loopback routes never leave the namespace.
            }
            else if (Ipv4Subnet.TryParse(dst, out Ipv4Subnet r) ? !subnet.Contains(r) : !dst.StartsWith("fe80:", StringComparison.Ordinal) && !dst.StartsWith("ff00:", StringComparison.Ordinal))
            {
                yield return $"{ns}: route to {dst} (dev {dev}) outside {subnet}";
            }
        }
    }

    /// <summary>Links in namespace <paramref name="ns"/> other than loopback and <paramref name="expected"/>.</summary>
    public static IEnumerable<string> LinkViolations(string ns, IReadOnlyCollection<string> expected, string linksJson)
    {
        foreach (JsonElement link in Array(linksJson))
        {
            string name = Str(link, "ifname") ?? "?";
            if (name != "lo" && !expected.Contains(name))
            {
                yield return $"{ns}: unexpected link {name}";
            }
        }
    }

    /// <summary>Links of the machine's namespace that carry one of the run's Ethernet addresses.</summary>
    public static IEnumerable<string> HostLinkViolations(string macPrefix, string hostLinksJson)
    {
        foreach (JsonElement link in Array(hostLinksJson))
        {
            if (Str(link, "address") is { } mac && mac.StartsWith(macPrefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"the machine's namespace holds link {Str(link, "ifname")} ({mac}) of this testbed";
            }
        }
    }

    /// <summary>Asks the kernel about every namespace of <paramref name="state"/> and the machine's, and applies the rules.</summary>
    public static IReadOnlyList<string> Gather(TestbedState state)
    {
        var problems = new List<string>();
        Ipv4Subnet subnet = Ipv4Subnet.Parse(state.Subnet);
        problems.AddRange(HostLinkViolations(state.MacPrefix, Shell.Run("ip", "-j", "link", "show")));
        problems.AddRange(HostConflicts(subnet, Shell.Run("ip", "-j", "-4", "route", "show", "table", "all"), Shell.Run("ip", "-j", "-4", "addr", "show")));
        foreach (string ns in state.Namespaces)
        {
            bool bridge = ns == state.BridgeNamespace;
            IReadOnlyCollection<string> links = bridge ? [.. state.Hosts.Select(h => h.Name)] : ["eth0"];
            problems.AddRange(RouteViolations(ns, subnet, Shell.Run("ip", "-n", ns, "-j", "route", "show", "table", "all")));
            problems.AddRange(RouteViolations(ns, subnet, Shell.Run("ip", "-n", ns, "-j", "-6", "route", "show", "table", "all")));
            problems.AddRange(LinkViolations(ns, links, Shell.Run("ip", "-n", ns, "-j", "link", "show")));
            if (Shell.Run("ip", "netns", "exec", ns, "cat", "/proc/sys/net/ipv4/ip_forward").Trim() != "0")
            {
                problems.Add($"{ns}: IPv4 forwarding is on");
            }
        }

        return problems;
    }

    private static IEnumerable<JsonElement> Array(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using JsonDocument document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array ? [.. document.RootElement.EnumerateArray().Select(e => e.Clone())] : [];
    }

    private static string? Str(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
