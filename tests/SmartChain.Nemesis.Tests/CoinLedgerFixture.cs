using SmartChain.Coin;
using SmartChain.Core.Application;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Store;
using SmartChain.Nemesis.History;

namespace SmartChain.Nemesis.Tests;

/// <summary>
/// Real SMaRtCoin ledgers on disk for the checker: a 4-replica genesis with one minter, blocks of signed MINT and
/// SPEND requests executed by the real application, certified by three replicas (real Ed25519), written with the real
/// block store; and the client history a correct run of those requests would have produced.
/// </summary>
internal sealed class CoinLedgerFixture : IDisposable
{
    public const string Chain = "nemesis-test";
    private readonly Ed25519KeyPair[] _replicas;
    private readonly CoinApplication _app;
    private readonly List<Block> _blocks = [];
    private ulong _sequence;

    public CoinLedgerFixture(long checkpointPeriod = 1000)
    {
        _replicas = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(50 + i), 32).ToArray()))];
        Minter = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
        Alice = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)8, 32).ToArray());
        Bob = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)9, 32).ToArray());
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 1000 + (2 * i), 1001 + (2 * i), _replicas[i].PublicKey)));
        Genesis = new GenesisDocument(Chain, PersistenceMode.Strong, view, ConsensusParameters.Default, checkpointPeriod, [Minter.PublicKey]);
        _app = CoinApplication.ForGenesis(Genesis);
        _blocks.Add(Block.Genesis(Genesis));
    }

    public GenesisDocument Genesis { get; }

    public Ed25519KeyPair Minter { get; }

    public Ed25519KeyPair Alice { get; }

    public Ed25519KeyPair Bob { get; }

    public TempDirectory Folder { get; } = new();

    /// <summary>The history of every request put in a block so far (invoke then its outcome).</summary>
    public List<HistoryRecord> History { get; } = [];

    public SignedRequest Mint(Ed25519KeyPair to, ulong value) =>
        SignedRequest.Create(Chain, Minter, ++_sequence, 0, CoinOperation.Mint([new CoinOutput(to.PublicKey, value)]).Encode());

    public static SignedRequest Spend(Ed25519KeyPair from, ulong sequence, Hash256 coin, Ed25519KeyPair to, ulong value) =>
        SignedRequest.Create(Chain, from, sequence, 0, CoinOperation.Spend([coin], [new CoinOutput(to.PublicKey, value)]).Encode());

    /// <summary>Executes <paramref name="batch"/> as the next certified block and records each request's history.</summary>
    public Block AddBlock(params SignedRequest[] batch)
    {
        long number = _blocks.Count;
        IReadOnlyList<byte[]> results = _app.ExecuteBatch(new BatchContext(number, number), batch);
        Block block = Block.Next(_blocks[^1].Header, number, [.. batch.Select(r => r.Encoded)], [.. results.Select(r => (ReadOnlyMemory<byte>)r)], new byte[] { 1 });
        block = block with
        {
            Certificate = new BlockCertificate([.. Enumerable.Range(0, 3).Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(_replicas[i], Chain, block.Hash)))]),
        };
        _blocks.Add(block);
        for (int j = 0; j < batch.Length; j++)
        {
            CoinResult result = CoinResult.Decode(results[j]);
            HistoryRecord invoke = Invoke(batch[j], process: j);
            History.Add(invoke);
            History.Add(result.Succeeded
                ? invoke with { Outcome = OperationOutcome.Ok, TimeMs = number * 10, Created = result.CreatedCoins, LatencyMs = 5, Block = number }
                : invoke with { Outcome = OperationOutcome.Fail, TimeMs = number * 10, Created = [], Ordered = true, Error = result.Code.ToString() });
        }

        return block;
    }

    /// <summary>The invoke record of <paramref name="request"/>.</summary>
    public static HistoryRecord Invoke(SignedRequest request, int process)
    {
        CoinOperation.TryDecode(request.Operation.Span, out CoinOperation? op, out _);
        return new HistoryRecord(OperationOutcome.Invoke, process, op!.Kind == CoinOperationKind.Mint ? OperationKind.Mint : OperationKind.Spend, request.Digest, 0)
        {
            Inputs = op.Inputs,
            Created = [.. Enumerable.Range(0, op.Outputs.Count).Select(i => CoinIds.Derive(request.Digest, i))],
        };
    }

    /// <summary>Writes the blocks so far (or the first <paramref name="count"/>) as a ledger in a new data folder; returns it.</summary>
    public string WriteLedger(string name, int? count = null)
    {
        string dataDir = Folder.Combine(name);
        using BlockStore store = BlockStore.Open(dataDir);
        foreach (Block block in _blocks.Take(count ?? _blocks.Count))
        {
            store.Append(block);
        }

        store.Commit();
        return dataDir;
    }

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in _replicas)
        {
            key.Dispose();
        }

        Minter.Dispose();
        Alice.Dispose();
        Bob.Dispose();
        Folder.Dispose();
    }
}
