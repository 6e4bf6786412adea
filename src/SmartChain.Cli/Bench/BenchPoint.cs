using SmartChain.Load;
using SmartChain.Network.Client;

namespace SmartChain.Cli.Bench;

/// <summary>
/// One measured run: a configuration, an operation, a client count, and what it achieved. <c>CpuPerReplica</c> is the
/// CPU each replica used during the measured time, in cores (1.0 = one core busy), and <c>LoadGeneratorCpu</c> the
/// same for this process, which runs the clients (null when not measured); <c>Sweep</c> marks a point of the client
/// sweep rather than one of the repeated runs at saturation; <c>Blocks</c> is how many blocks the network added during
/// the measured time (null when the replicas did not answer); <c>OfferedRate</c> is the open-loop rate of a paced run
/// (null: closed loop); <c>RuntimePerReplica</c> is what each replica's garbage collector counted during the measured
/// time (allocations, collections, pause), for the replicas that answered at both edges (empty when none did).
/// </summary>
internal sealed record BenchPoint(string Configuration, string Operation, int Clients, int Run, LoadResult Result, IReadOnlyList<double> CpuPerReplica, bool Sweep,
    double? LoadGeneratorCpu = null, long? Blocks = null, double? OfferedRate = null, IReadOnlyList<RuntimeCounters>? RuntimePerReplica = null)
{
    private IReadOnlyList<RuntimeCounters> Runtime => RuntimePerReplica ?? [];

    /// <summary>Bytes each replica's process allocated per transaction accepted in the measured time.</summary>
    public IReadOnlyList<double> AllocatedBytesPerTx => [.. Runtime.Select(r => Result.Transactions > 0 ? (double)r.AllocatedBytes / Result.Transactions : 0)];

    /// <summary>The mean of <see cref="AllocatedBytesPerTx"/> over the replicas, or null if no replica answered.</summary>
    public double? MeanAllocatedBytesPerTx => Runtime.Count == 0 ? null : AllocatedBytesPerTx.Average();

    /// <summary>Milliseconds per second each replica's process was paused by its garbage collector in the measured time.</summary>
    public IReadOnlyList<double> GcPauseMsPerSecond =>
        [.. Runtime.Select(r => Result.Measured > TimeSpan.Zero ? r.GcPause.TotalMilliseconds / Result.Measured.TotalSeconds : 0)];

    /// <summary>The mean of <see cref="GcPauseMsPerSecond"/> over the replicas, or null if no replica answered.</summary>
    public double? MeanGcPauseMsPerSecond => Runtime.Count == 0 ? null : GcPauseMsPerSecond.Average();

    /// <summary>
    /// The mean over the replicas of their gen0, gen1 and gen2 collections in the measured time, or null. Averaged as
    /// doubles: the sum of longs overflows (and throws) once a replica reports a count near the top of the range.
    /// </summary>
    public (double Gen0, double Gen1, double Gen2)? MeanCollections => Runtime.Count == 0 ? null
        : (Runtime.Average(r => (double)r.Gen0Collections), Runtime.Average(r => (double)r.Gen1Collections), Runtime.Average(r => (double)r.Gen2Collections));

    /// <summary>Transactions per block in the measured time (one block per consensus instance: the batch size), or null.</summary>
    public double? TxPerBlock => Blocks is > 0 ? (double)Result.Transactions / Blocks.Value : null;

    /// <summary>CPU microseconds each replica spent per transaction accepted in the measured time (its cores × time ÷ transactions).</summary>
    public IReadOnlyList<double> CpuMicrosPerTx => [.. CpuPerReplica.Select(MicrosPerTx)];

    /// <summary>The mean of <see cref="CpuMicrosPerTx"/> over the replicas, or null if no replica was measured.</summary>
    public double? MeanCpuMicrosPerTx => CpuPerReplica.Count == 0 ? null : CpuMicrosPerTx.Average();

    /// <summary>CPU microseconds the load generator (signing, clients, replies) spent per transaction, or null.</summary>
    public double? LoadGeneratorMicrosPerTx => LoadGeneratorCpu is { } cores ? MicrosPerTx(cores) : null;

    private double MicrosPerTx(double cores) => Result.Transactions > 0 ? cores * Result.Measured.TotalSeconds * 1e6 / Result.Transactions : 0;
}
