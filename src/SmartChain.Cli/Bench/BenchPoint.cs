using SmartChain.Load;

namespace SmartChain.Cli.Bench;

/// <summary>
/// One measured run: a configuration, an operation, a client count, and what it achieved. <c>CpuPerReplica</c> is the
/// CPU each replica used during the measured time, in cores (1.0 = one core busy); <c>Sweep</c> marks a point of the
/// client sweep rather than one of the repeated runs at saturation.
/// </summary>
internal sealed record BenchPoint(string Configuration, string Operation, int Clients, int Run, LoadResult Result, IReadOnlyList<double> CpuPerReplica, bool Sweep);
