using BenchmarkDotNet.Attributes;
using SmartChain.Coin;
using SmartChain.Coin.Load;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Benchmarks;

/// <summary>
/// Executing a decided batch of 1,000 SMaRtCoin SPENDs (2 inputs, 2 outputs each), with signatures verified before
/// ordering (SmartChain) and verified sequentially inside execution (the paper's naive baseline). Every invocation
/// starts from the same post-MINT state by restoring a snapshot; <see cref="RestoreOnly"/> measures that part so it
/// can be subtracted.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class CoinExecutionBenchmarks
{
    private const string ChainId = "smartchain-bench";
    private const int BatchSize = 1000;
    private Ed25519KeyPair _minter = null!;
    private byte[] _afterMint = [];
    private SignedRequest[] _batch = [];
    private CoinApplication _preVerified = null!;
    private CoinApplication _verifying = null!;

    [GlobalSetup]
    public void Setup()
    {
        _minter = Ed25519KeyPair.FromSeed(new byte[32]);
        using var load = new CoinWorkload(ChainId, _minter, BatchSize, seed: 1);
        var app = new CoinApplication(ChainId, [_minter.PublicKey]);
        app.ExecuteBatch(new BatchContext(1, 1), load.MintPhase());
        _afterMint = app.TakeSnapshot();
        _batch = load.NextSpendRound();
        _preVerified = new CoinApplication(ChainId, []);
        _verifying = new CoinApplication(ChainId, [], new CoinExecutionOptions { VerifySignaturesInExecution = true });

        _preVerified.RestoreSnapshot(_afterMint);
        foreach (byte[] result in _preVerified.ExecuteBatch(new BatchContext(2, 2), _batch))
        {
            if (result[0] != (byte)CoinResultCode.Ok)
            {
                throw new InvalidOperationException($"benchmark batch has a rejected transaction: {(CoinResultCode)result[0]}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _minter.Dispose();

    [Benchmark(Baseline = true)]
    public int RestoreOnly()
    {
        _preVerified.RestoreSnapshot(_afterMint);
        return _preVerified.CoinCount;
    }

    [Benchmark]
    public int Execute1000Spends_PreVerified()
    {
        _preVerified.RestoreSnapshot(_afterMint);
        return _preVerified.ExecuteBatch(new BatchContext(2, 2), _batch).Count;
    }

    [Benchmark]
    public int Execute1000Spends_VerifiedInExecution()
    {
        _verifying.RestoreSnapshot(_afterMint);
        return _verifying.ExecuteBatch(new BatchContext(2, 2), _batch).Count;
    }
}
