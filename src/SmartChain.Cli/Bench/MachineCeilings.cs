using System.Diagnostics;
using SmartChain.Core.Crypto;

namespace SmartChain.Cli.Bench;

/// <summary>
/// The machine's own limits, measured in the same run as the benchmark: Ed25519 verifications per second on all
/// cores, signatures per second on one core, fsyncs per second, and what they allow end to end.
/// </summary>
internal sealed record MachineCeilings(int Cores, double VerificationsPerSecond, double SignaturesPerSecond, double FsyncsPerSecond)
{
    /// <summary>
    /// The most SPEND tx/s the machine can do when <paramref name="replicas"/> replicas each verify every request once
    /// and the load generator signs it, all sharing these cores: cores / (replicas × t_verify + t_sign).
    /// </summary>
    public double SpendBound(int replicas) => 1 / ((replicas / VerificationsPerSecond) + (1 / (SignaturesPerSecond * Cores)));

    public static MachineCeilings Measure(string folder)
    {
        int cores = Environment.ProcessorCount;
        using Ed25519KeyPair key = Ed25519KeyPair.Generate();
        byte[] message = new byte[300];
        byte[] signature = key.Sign(message);
        double verifications = Rate(TimeSpan.FromSeconds(1), cores, () => Ed25519.Verify(key.PublicKey, message, signature));
        double signatures = Rate(TimeSpan.FromSeconds(1), 1, () => key.Sign(message));
        return new MachineCeilings(cores, verifications, signatures, FsyncRate(folder, TimeSpan.FromSeconds(1)));
    }

    private static double Rate(TimeSpan length, int threads, Action work)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            long local = 0;
            while (clock.Elapsed < length)
            {
                work();
                local++;
            }

            Interlocked.Add(ref count, local);
        });
        return count / clock.Elapsed.TotalSeconds;
    }

    private static double FsyncRate(string folder, TimeSpan length)
    {
        string path = Path.Combine(folder, $"fsync-probe-{Environment.ProcessId}");
        byte[] block = new byte[4096];
        try
        {
            using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
            long count = 0;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < length)
            {
                file.Write(block);
                file.Flush(flushToDisk: true);
                count++;
            }

            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
