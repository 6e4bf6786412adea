using BenchmarkDotNet.Attributes;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Store;

namespace SmartChain.Benchmarks;

/// <summary>
/// Appending blocks of 100 × 300-byte entries to a real block store, committing every block (one fsync each) versus
/// in groups of 32 (one fsync per group): what group commit buys per block.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class BlockStoreBenchmarks
{
    private const int BlocksPerInvocation = 32;
    private readonly List<Block> _blocks = [];
    private string _folder = "";
    private BlockStore _store = null!;
    private int _next;

    [Params(1, 32)]
    public int BlocksPerCommit { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using Ed25519KeyPair key = Ed25519KeyPair.FromSeed(new byte[32]);
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 1000 + (2 * i), 1001 + (2 * i),
            new Ed25519PublicKey(Hash256.Compute(BitConverter.GetBytes(i)).ToArray()))));
        var genesis = new GenesisDocument("bench", PersistenceMode.Strong, view, ConsensusParameters.Default, 1000, []);
        Block previous = Block.Genesis(genesis);
        _blocks.Add(previous);
        for (int n = 1; n <= 20_000; n++)
        {
            ReadOnlyMemory<byte>[] entries = [.. Enumerable.Range(0, 100).Select(_ => (ReadOnlyMemory<byte>)new byte[300])];
            ReadOnlyMemory<byte>[] results = [.. Enumerable.Range(0, 100).Select(_ => (ReadOnlyMemory<byte>)new byte[37])];
            previous = Block.Next(previous.Header, n, entries, results, new byte[200]);
            _blocks.Add(previous);
        }

        _folder = Path.Combine(Path.GetTempPath(), "smartchain-bench-store", Guid.NewGuid().ToString("N"));
        _store = BlockStore.Open(_folder);
        _store.Append(_blocks[0]);
        _store.Commit();
        _next = 1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = BlocksPerInvocation)]
    public long Append32Blocks()
    {
        if (_next + BlocksPerInvocation >= _blocks.Count)
        {
            // Start over on a fresh store when the prepared chain runs out.
            Cleanup();
            _store = BlockStore.Open(_folder = Path.Combine(Path.GetTempPath(), "smartchain-bench-store", Guid.NewGuid().ToString("N")));
            _store.Append(_blocks[0]);
            _next = 1;
        }

        for (int i = 0; i < BlocksPerInvocation; i++)
        {
            _store.Append(_blocks[_next++]);
            if ((i + 1) % BlocksPerCommit == 0)
            {
                _store.Commit();
            }
        }

        return _store.Height;
    }
}
