using System.Diagnostics;
using System.Globalization;

namespace SmartChain.Testbed;

/// <summary>Waits for the bridge process to report that it applied a shape generation.</summary>
internal static class BridgeControl
{
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(15);

    public static void WaitApplied(string folder, TestbedProcess bridge, long generation)
    {
        string applied = Path.Combine(folder, NetworkShape.AppliedFileName);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < ApplyTimeout)
        {
            try
            {
                if (File.Exists(applied) && long.TryParse(File.ReadAllText(applied).Trim(), CultureInfo.InvariantCulture, out long done) && done >= generation)
                {
                    return;
                }
            }
            catch (IOException)
            {
                // being replaced right now: read it again
            }

            if (!ProcFs.IsRunning(bridge))
            {
                throw new TestbedException($"the bridge exited: {Tail(bridge.Log)}");
            }

            Thread.Sleep(10); // the bridge reports through a file; there is no event to await across processes
        }

        throw new TestbedException($"the bridge did not apply shape {generation} within {ApplyTimeout.TotalSeconds} s: {Tail(bridge.Log)}");
    }

    public static string Tail(string log) => File.Exists(log) ? string.Join(" | ", File.ReadAllLines(log).TakeLast(5)) : "(no log)";
}
