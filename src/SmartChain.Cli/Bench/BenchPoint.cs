using SmartChain.Load;

namespace SmartChain.Cli.Bench;

/// <summary>
/// One measured run: a configuration, an operation, a client count, and what it achieved. <c>CpuPerReplica</c> is the
/// CPU each replica used during the measured time, in cores (1.0 = one core busy), and <c>LoadGeneratorCpu</c> the
/// same for this process, which runs the clients (null when not measured); <c>Sweep</c> marks a point of the client
/// sweep rather than one of the repeated runs at saturation; <c>Blocks</c> is how many blocks the network added during
/// the measured time (null when the replicas did not answer); <c>OfferedRate</c> is the open-loop rate of a paced run
/// (null: closed loop).
/// </summary>
internal sealed record BenchPoint(string Configuration, string Operation, int Clients, int Run, LoadResult Result, IReadOnlyList<double> CpuPerReplica, bool Sweep,
    double? LoadGeneratorCpu = null, long? Blocks = null, double? OfferedRate = null)
{
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
