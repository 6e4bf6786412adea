using System.Text.Json;
using SmartChain.Coin;
using SmartChain.Coin.Load;
using SmartChain.Core.Configuration;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger;
using SmartChain.Ledger.Store;

namespace SmartChain.Cli.Tests;

/// <summary>
/// <c>ledger verify</c> and <c>ledger show</c> on a replica home holding a real SMaRtCoin ledger (built here with the
/// testnet's own keys), sound and damaged in each way a ledger can be.
/// </summary>
public sealed class LedgerCommandTests : IDisposable
{
    private const int Blocks = 4; // block 1: MINTs; blocks 2..4: a round of SPENDs each
    private readonly TempDirectory _dir = new();
    private readonly string _home;
    private readonly GenesisDocument _genesis;
    private readonly Reconfiguration.Keys.ViewKeyChain[] _chains;
    private readonly Ed25519KeyPair[] _replicas; // each replica's key of view 0, which certifies these blocks

    public LedgerCommandTests()
    {
        string net = Path.Combine(_dir.Path, "net");
        Assert.Equal(0, CliRun.InProcess("testnet", "init", "--dir", net, "--base-port", "47000").ExitCode);
        _home = Path.Combine(net, "node0");
        _genesis = GenesisJson.Load(Path.Combine(net, "genesis.json"));
        _chains = [.. Enumerable.Range(0, 4).Select(i => Reconfiguration.Keys.ViewKeyChain.Open(NodeConfig.Load(Path.Combine(net, $"node{i}", NodeConfig.FileName)).KeyChain!))];
        _replicas = [.. _chains.Select(c => c.KeyAt(0))];
    }

    public void Dispose()
    {
        foreach (Reconfiguration.Keys.ViewKeyChain chain in _chains)
        {
            chain.Dispose();
        }

        _dir.Dispose();
    }

    private string DataDir => NodeConfig.Load(Path.Combine(_home, NodeConfig.FileName)).DataDir;

    private BlockCertificate Certify(Block block, params int[] signers) =>
        new([.. (signers.Length == 0 ? [0, 1, 2] : signers).Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(_replicas[i], _genesis.ChainId, block.Hash)))]);

    /// <summary>Builds the ledger, lets <paramref name="tamper"/> rewrite the list of blocks, and stores it in node0's data folder.</summary>
    private void WriteLedger(Func<List<Block>, List<Block>>? tamper = null)
    {
        using Ed25519KeyPair minter = KeyFile.Load(Path.Combine(Path.GetDirectoryName(_home)!, "wallets", "minter0.key"));
        using var load = new CoinWorkload(_genesis.ChainId, minter, 8, seed: 7);
        var app = CoinApplication.ForGenesis(_genesis);
        var blocks = new List<Block> { Block.Genesis(_genesis) };
        for (int n = 1; n <= Blocks; n++)
        {
            SignedRequest[] batch = n == 1 ? load.MintPhase() : load.NextSpendRound();
            IReadOnlyList<byte[]> results = app.ExecuteBatch(new(n, n), batch);
            Block block = Block.Next(blocks[^1].Header, n, [.. batch.Select(r => r.Encoded)], [.. results.Select(r => (ReadOnlyMemory<byte>)r)], ReadOnlyMemory<byte>.Empty);
            blocks.Add(block with { Certificate = Certify(block) });
        }

        blocks = tamper?.Invoke(blocks) ?? blocks;

        // Written by hand in the layout docs/storage.md documents, so that even a store the replica would never
        // write (a missing or misplaced block) can be planted.
        string folder = Directory.CreateDirectory(Path.Combine(DataDir, BlockStore.FolderName)).FullName;
        using var file = new FileStream(Path.Combine(folder, "segment-000000.log"), FileMode.Create, FileAccess.Write);
        foreach (Block block in blocks)
        {
            WriteRecord(file, CanonicalEncoding.ToArray(block, static (ref CanonicalWriter w, Block b) =>
            {
                w.WriteUInt8(1);
                b.WriteTo(ref w);
            }));
            if (block.Certificate is not null)
            {
                WriteRecord(file, CanonicalEncoding.ToArray(block, static (ref CanonicalWriter w, Block b) =>
                {
                    w.WriteUInt8(2);
                    w.WriteInt64(b.Header.Number);
                    b.Certificate!.WriteTo(ref w);
                }));
            }
        }
    }

    private static void WriteRecord(FileStream file, byte[] payload)
    {
        byte[] header = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)payload.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), System.IO.Hashing.Crc32.HashToUInt32(payload));
        file.Write(header);
        file.Write(payload);
    }

    private static ReadOnlyMemory<byte> Flip(ReadOnlyMemory<byte> bytes, int at)
    {
        byte[] copy = bytes.ToArray();
        copy[at] ^= 1;
        return copy;
    }

    private Block Recertified(Block block) => block with { Certificate = null } is var b ? b with { Certificate = Certify(b) } : block;

    private static List<Block> At(List<Block> blocks, int n, Func<Block, Block> change)
    {
        blocks[n] = change(blocks[n]);
        return blocks;
    }

    [Fact]
    public void A_sound_ledger_verifies_with_its_head_and_state_hash_in_text_and_json()
    {
        WriteLedger();
        CliRun text = CliRun.InProcess("ledger", "verify", "--home", _home);
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains($"blocks        {Blocks + 1}", text.Output, StringComparison.Ordinal);
        Assert.Contains("transactions  32", text.Output, StringComparison.Ordinal);
        Assert.EndsWith("ledger verified", text.Output.TrimEnd(), StringComparison.Ordinal);

        CliRun json = CliRun.InProcess("ledger", "verify", "--home", _home, "--json");
        using JsonDocument report = JsonDocument.Parse(json.Output);
        Assert.True(report.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(Blocks + 1, report.RootElement.GetProperty("blocks").GetInt64());
        Assert.Contains(report.RootElement.GetProperty("stateHash").GetString()!, text.Output, StringComparison.Ordinal);

        CliRun show = CliRun.InProcess("ledger", "show", "--home", _home, "--block", "2");
        Assert.True(show.ExitCode == 0, show.Error);
        Assert.Contains("SPEND 2 in", show.Output, StringComparison.Ordinal);
        Assert.Contains("replicas 0,1,2", show.Output, StringComparison.Ordinal);
        Assert.Contains($"blocks 0..{Blocks}", CliRun.InProcess("ledger", "show", "--home", _home).Output, StringComparison.Ordinal);
    }

    public static TheoryData<string, long, string> Damage => new()
    {
        { "entry-byte", 2, "hashTransactions does not match the entries" },
        { "result-byte", 3, "hashResults does not match the results" },
        { "header-field", 2, "certificate: the signature of replica 0 does not verify" },
        { "certificate-signature", 4, "certificate: the signature of replica 1 does not verify" },
        { "block-removed", 2, "found block 3 where block 2 belongs" },
        { "blocks-swapped", 2, "found block 3 where block 2 belongs" },
        { "duplicate-signer", 3, "two signatures from replica 1" },
        { "non-member-signer", 3, "not in view" },
        { "too-few-signatures", 3, "needs 3" },
        { "result-not-reproduced", 2, "is not what re-executing the entry produces" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public void Each_kind_of_damage_is_reported_at_its_block_with_its_reason(string damage, long block, string reason)
    {
        WriteLedger(blocks => damage switch
        {
            "entry-byte" => At(blocks, 2, b => b with { Body = b.Body with { Entries = [Flip(b.Body.Entries[0], 50), .. b.Body.Entries.Skip(1)] } }),
            "result-byte" => At(blocks, 3, b => b with { Body = b.Body with { Results = [.. b.Body.Results.SkipLast(1), Flip(b.Body.Results[^1], 1)] } }),
            "header-field" => At(blocks, 2, b => b with { Header = b.Header with { LastCheckpoint = 1 } }),
            "certificate-signature" => At(blocks, 4, b => b with { Certificate = new([b.Certificate!.Signatures[0], (1, Flip(b.Certificate.Signatures[1].Signature, 9)), b.Certificate.Signatures[2]]) }),
            "block-removed" => [.. blocks.Where((_, i) => i != 2)],
            "blocks-swapped" => [blocks[0], blocks[1], blocks[3], blocks[2], blocks[4]],
            "duplicate-signer" => At(blocks, 3, b => b with { Certificate = new([b.Certificate!.Signatures[0], b.Certificate.Signatures[1], b.Certificate.Signatures[1]]) }),
            "non-member-signer" => At(blocks, 3, b => b with { Certificate = new([.. b.Certificate!.Signatures, (9, b.Certificate.Signatures[0].Signature)]) }),
            "too-few-signatures" => At(blocks, 3, b => b with { Certificate = new([.. b.Certificate!.Signatures.Take(2)]) }),
            "result-not-reproduced" => Chain(At(blocks, 2, b =>
            {
                ReadOnlyMemory<byte>[] results = [.. b.Body.Results];
                results[3] = results[5];
                return Recertified(b with { Header = b.Header with { HashResults = BlockMerkle.Root(results) }, Body = b.Body with { Results = results } });
            })),
            _ => throw new ArgumentException(damage),
        });

        CliRun run = CliRun.InProcess("ledger", "verify", "--home", _home);
        Assert.Equal(1, run.ExitCode);
        string last = run.Error.TrimEnd().Split('\n')[^1]; // earlier lines are progress
        Assert.StartsWith($"ledger verification failed at block {block}: ", last, StringComparison.Ordinal);
        Assert.Contains(reason, run.Error, StringComparison.Ordinal);

        using JsonDocument json = JsonDocument.Parse(CliRun.InProcess("ledger", "verify", "--home", _home, "--json").Output);
        Assert.Equal(block, json.RootElement.GetProperty("firstBadBlock").GetInt64());
    }

    [Fact]
    public void A_flipped_byte_on_disk_is_a_checksum_failure_at_its_block()
    {
        WriteLedger();
        string segment = Path.Combine(DataDir, BlockStore.FolderName, "segment-000000.log");
        byte[] bytes = File.ReadAllBytes(segment);
        bytes[bytes.Length - 1000] ^= 0x10; // inside the last blocks (block 0 holds the whole genesis, key chains included)
        File.WriteAllBytes(segment, bytes);
        CliRun run = CliRun.InProcess("ledger", "verify", "--home", _home);
        Assert.Equal(1, run.ExitCode);
        Assert.Matches("failed at block [1-4]: checksum mismatch", run.Error);
    }

    [Fact]
    public void A_truncated_last_record_is_ignored_read_only_and_the_rest_verifies()
    {
        WriteLedger();
        string segment = Path.Combine(DataDir, BlockStore.FolderName, "segment-000000.log");
        long length = new FileInfo(segment).Length;
        using (var stream = new FileStream(segment, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(length - 20); // into block 4's certificate record
        }

        CliRun run = CliRun.InProcess("ledger", "verify", "--home", _home);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("note: ignored an incomplete last record", run.Error, StringComparison.Ordinal);
        Assert.Contains("uncertified   1", run.Output, StringComparison.Ordinal);
        Assert.Equal(length - 20, new FileInfo(segment).Length); // read-only: the verifier never truncates
    }

    // Later blocks link to the changed header; re-link and re-certify them so only the planted fault remains.
    private List<Block> Chain(List<Block> blocks)
    {
        for (int n = 1; n < blocks.Count; n++)
        {
            if (blocks[n].Header.HashLastBlock != blocks[n - 1].Hash)
            {
                blocks[n] = Recertified(blocks[n] with { Header = blocks[n].Header with { HashLastBlock = blocks[n - 1].Hash } });
            }
        }

        return blocks;
    }
}
