using BenchmarkDotNet.Attributes;
using SmartChain.Core.Crypto;

namespace SmartChain.Benchmarks;

/// <summary>Ed25519 over a 300-byte message on one core: the cost that bounds request admission.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class SignatureBenchmarks
{
    private readonly byte[] _message = new byte[300];
    private readonly byte[] _signature = new byte[Ed25519.SignatureSize];
    private Ed25519KeyPair _key = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random.Shared.NextBytes(_message);
        _key = Ed25519KeyPair.Generate();
        _key.Sign(_message, _signature);
    }

    [GlobalCleanup]
    public void Cleanup() => _key.Dispose();

    [Benchmark]
    public byte Sign300B()
    {
        _key.Sign(_message, _signature);
        return _signature[0];
    }

    [Benchmark]
    public bool Verify300B() => Ed25519.Verify(_key.PublicKey, _message, _signature);
}
