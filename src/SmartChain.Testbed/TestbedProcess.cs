namespace SmartChain.Testbed;

/// <summary>
/// A process the testbed started inside one of its namespaces. <see cref="StartTime"/> (field 22 of /proc/PID/stat)
/// tells this process from a later one that reuses the pid, so the testbed never signals a process it did not start.
/// </summary>
/// <param name="Host">The host (namespace) it runs in.</param>
/// <param name="Pid">Its process id.</param>
/// <param name="StartTime">Its start time in clock ticks since boot, as the kernel reports it.</param>
/// <param name="Command">The command line it was started with (a replica restart runs it again).</param>
/// <param name="Log">The file its standard output and error go to.</param>
/// <param name="Role">What it is: "replica", "switch", or anything a caller names.</param>
public sealed record TestbedProcess(string Host, int Pid, long StartTime, IReadOnlyList<string> Command, string Log, string Role);
