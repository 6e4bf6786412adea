using BenchmarkDotNet.Attributes;
using SmartChain.Core.Crypto;

namespace SmartChain.Benchmarks;

/// <summary>SHA-256 of a request-sized and a block-sized input, and a Merkle root over a large batch.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class HashingBenchmarks
{
    private readonly byte[] _small = new byte[300];
    private readonly byte[] _large = new byte[1024 * 1024];
    private ReadOnlyMemory<byte>[] _leaves = [];

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_small);
        Random.Shared.NextBytes(_large);
        _leaves = [.. Enumerable.Range(0, 1024).Select(_ =>
        {
            byte[] leaf = new byte[300];
            Random.Shared.NextBytes(leaf);
            return (ReadOnlyMemory<byte>)leaf;
        })];
    }

    [Benchmark]
    public Hash256 Sha256_300B() => Hash256.Compute(_small);

    [Benchmark]
    public Hash256 Sha256_1MiB() => Hash256.Compute(_large);

    [Benchmark]
    public Hash256 MerkleRoot_1024x300B() => MerkleTree.ComputeRoot(_leaves);
}
