using System.Diagnostics;
using System.Globalization;

namespace SmartChain.TestSupport;

/// <summary>
/// Replica processes a test starts never outlive the test run: every process started through this names the test
/// host as its owner (<c>SMARTCHAIN_PARENT_PID</c>, which <c>node run</c> and the Byzantine replica read, and which
/// <c>testnet start</c> passes on to the replicas it launches), so a replica exits once the test host is gone, even if
/// the run timed out or the host was killed.
/// </summary>
public static class OwnedProcess
{
    /// <summary>The variable the replica reads (SmartChain.Node.ParentWatch.EnvironmentVariable).</summary>
    public const string ParentPidVariable = "SMARTCHAIN_PARENT_PID";

    /// <summary>Makes the test host the owner of what <paramref name="start"/> starts (and of the replicas it launches).</summary>
    public static ProcessStartInfo OwnedByThisRun(this ProcessStartInfo start)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.Environment[ParentPidVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        return start;
    }
}
