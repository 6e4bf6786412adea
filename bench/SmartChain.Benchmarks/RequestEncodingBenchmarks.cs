using System.Buffers;
using BenchmarkDotNet.Attributes;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Benchmarks;

/// <summary>Canonical encoding and decoding of a 300-byte request (a SMaRtCoin SPEND is about that size).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class RequestEncodingBenchmarks
{
    private const string ChainId = "smartchain-bench";
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private byte[] _operation = [];
    private byte[] _encoded = [];
    private Ed25519PublicKey _client;

    [GlobalSetup]
    public void Setup()
    {
        using Ed25519KeyPair key = Ed25519KeyPair.FromSeed(new byte[32]);
        _client = key.PublicKey;
        _operation = new byte[300 - SmartChain.Core.Limits.RequestOverheadBytes - ChainId.Length];
        Random.Shared.NextBytes(_operation);
        _encoded = SignedRequest.Create(ChainId, key, 1, 0, _operation).Encoded.ToArray();
        if (_encoded.Length != 300)
        {
            throw new InvalidOperationException($"request is {_encoded.Length} bytes, expected 300");
        }
    }

    [Benchmark]
    public int Encode300B()
    {
        _buffer.ResetWrittenCount();
        var writer = new CanonicalWriter(_buffer);
        SignedRequest.WriteUnsigned(ref writer, ChainId, _client, 42, 0, _operation);
        writer.WriteFixed(_encoded.AsSpan(_encoded.Length - Ed25519.SignatureSize));
        return writer.Written;
    }

    [Benchmark]
    public ulong Decode300B() => SignedRequest.Decode(_encoded).Sequence;
}
