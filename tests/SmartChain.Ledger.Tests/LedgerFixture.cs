using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;

namespace SmartChain.Ledger.Tests;

/// <summary>A 4-replica genesis with keys, helpers to build and certify chains, and a temp folder.</summary>
public sealed class LedgerFixture : IDisposable
{
    public const string Chain = "ledger-test";

    public LedgerFixture()
    {
        Keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(30 + i), 32).ToArray()))];
        View = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 1000 + (2 * i), 1001 + (2 * i), Keys[i].PublicKey)));
        Genesis = new GenesisDocument(Chain, PersistenceMode.Strong, View, ConsensusParameters.Default, 1000, []);
        Folder = Path.Combine(Path.GetTempPath(), "smartchain-ledger-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public Ed25519KeyPair[] Keys { get; }

    public View View { get; }

    public GenesisDocument Genesis { get; }

    public string Folder { get; }

    public BlockCertificate Certify(Block block, params int[] signers) =>
        new([.. (signers.Length == 0 ? [0, 1, 2] : signers).Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(Keys[i], Chain, block.Hash)))]);

    /// <summary>Genesis and <paramref name="count"/> certified blocks of <paramref name="perBlock"/> entries each.</summary>
    public List<Block> Chainof(int count, int perBlock = 3, string salt = "")
    {
        var blocks = new List<Block> { Block.Genesis(Genesis) };
        for (int n = 1; n <= count; n++)
        {
            ReadOnlyMemory<byte>[] entries = [.. Enumerable.Range(0, perBlock).Select(j => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes($"{salt}entry {n}.{j}"))];
            ReadOnlyMemory<byte>[] results = [.. Enumerable.Range(0, perBlock).Select(j => (ReadOnlyMemory<byte>)new byte[] { (byte)n, (byte)j })];
            Block block = Block.Next(blocks[^1].Header, n, entries, results, new byte[] { 9, 9 });
            blocks.Add(block with { Certificate = Certify(block) });
        }

        return blocks;
    }

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in Keys)
        {
            key.Dispose();
        }

        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
