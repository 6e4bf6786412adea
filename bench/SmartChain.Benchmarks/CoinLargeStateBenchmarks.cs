using BenchmarkDotNet.Attributes;
using SmartChain.Coin;
using SmartChain.Coin.Load;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Benchmarks;

/// <summary>
/// The batch of <see cref="CoinExecutionBenchmarks"/> (1,000 SPENDs, 2 inputs, 2 outputs, signatures pre-verified)
/// against a state of 160,000 more coins, about what the demo's replicas hold after a minute: a realistic table rather
/// than 2,000 coins (which leaves the coin table's shards at one coin each). <see cref="AfterCapture"/> runs the batch
/// right after a checkpoint's capture, so it pays for whatever the capture left to do (the copy-on-write table copies
/// each shard it writes first). <see cref="Capture"/> is the checkpoint's pause itself. Each invocation starts from the
/// same state, restored in the iteration setup (not measured).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[InvocationCount(1)]
public class CoinLargeStateBenchmarks
{
    private const string ChainId = "smartchain-bench";
    private const int BatchSize = 1000;
    private const int BackgroundCoins = 160_000;
    private Ed25519KeyPair _minter = null!;
    private byte[] _state = [];
    private SignedRequest[] _batch = [];
    private CoinApplication _app = null!;
    private IStateView? _view;

    /// <summary>Whether the batch runs right after a capture of the state.</summary>
    [Params(false, true)]
    public bool AfterCapture { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _minter = Ed25519KeyPair.FromSeed(new byte[32]);
        using var load = new CoinWorkload(ChainId, _minter, BatchSize, seed: 1);
        var app = new CoinApplication(ChainId, [_minter.PublicKey]);
        app.ExecuteBatch(new BatchContext(1, 1), load.MintPhase());

        // Background coins to a wallet of their own, 64 per MINT (sequences far from the workload's).
        Ed25519PublicKey holder = Ed25519KeyPair.FromSeed([.. Enumerable.Repeat((byte)7, 32)]).PublicKey;
        byte[] mint = CoinOperation.Mint([.. Enumerable.Repeat(new CoinOutput(holder, 5), CoinLimits.MaxOutputs)]).Encode();
        var mints = new SignedRequest[BackgroundCoins / CoinLimits.MaxOutputs];
        Parallel.For(0, mints.Length, i => mints[i] = SignedRequest.Create(ChainId, _minter, 1_000_000 + (ulong)i, 0, mint));
        app.ExecuteBatch(new BatchContext(2, 2), mints);
        _state = app.TakeSnapshot();
        _batch = load.NextSpendRound();
        _app = new CoinApplication(ChainId, []);
    }

    [GlobalCleanup]
    public void Cleanup() => _minter.Dispose();

    [IterationSetup]
    public void Restore()
    {
        _app.RestoreSnapshot(_state);
        _view = AfterCapture ? _app.CaptureState() : null;
    }

    [Benchmark]
    public int Execute1000Spends_PreVerified()
    {
        int count = _app.ExecuteBatch(new BatchContext(3, 3), _batch).Count;
        GC.KeepAlive(_view); // as the snapshot encoder would hold it
        return count;
    }

    [Benchmark]
    public IStateView Capture() => _app.CaptureState();
}
