using System.Globalization;

namespace SmartChain.Testbed;

/// <summary>The human-readable status of a testbed (netns up/status print it).</summary>
internal static class TestbedDescription
{
    public static string Of(TestbedState state, string bridgeNamespace)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"testbed {state.Prefix} on {state.Subnet}, bridge in {bridgeNamespace}");
        foreach (TestbedHost host in state.Hosts)
        {
            TestbedProcess? process = state.Processes.LastOrDefault(p => p.Host == host.Name);
            string running = process is null ? "no process" : ProcFs.IsRunning(process) ? $"pid {process.Pid} ({process.Role})" : $"pid {process.Pid} ({process.Role}) ended";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {host.Name,-4} {host.Namespace,-14} {host.Address,-15} {state.Shape.Links.GetValueOrDefault(host.Name)?.Name ?? "?",-10} {running}");
        }

        text.Append(state.Shape.Cuts.Count == 0 ? "  no cuts" : $"  cut: {string.Join(' ', state.Shape.Cuts)}");
        return text.ToString();
    }
}
