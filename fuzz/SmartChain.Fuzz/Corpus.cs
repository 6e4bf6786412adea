using System.Buffers;
using System.Buffers.Binary;
using SmartChain.Coin;
using SmartChain.Consensus;
using SmartChain.Consensus.Messages;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Network;
using SmartChain.Network.Client;
using SmartChain.Node;
using SmartChain.Node.Transfer;
using SmartChain.Reconfiguration.Keys;

namespace SmartChain.Fuzz;

/// <summary>
/// The seed corpus: small valid encodings made by the product's own encoders (deterministic keys, so regenerating
/// gives the same files), plus edge cases every decoder must reject cleanly.
/// </summary>
internal static class Corpus
{
    private const string ChainId = "smartchain-fuzz";

    public static void Generate(string root)
    {
        using Ed25519KeyPair key = Ed25519KeyPair.FromSeed(Hash256.Compute("fuzz key"u8).ToArray());
        GenesisDocument genesis = Genesis(key);
        Block block0 = Block.Genesis(genesis);
        SignedRequest request = SignedRequest.Create(ChainId, key, 1, 7, CoinOperation.Mint([new CoinOutput(key.PublicKey, 5)]).Encode());
        byte[] signature = key.Sign("statement"u8);
        var certificate = new BlockCertificate([(0, signature), (2, signature)]);
        var receipt = new TransactionReceipt(block0.Header, certificate, 0, request.Encoded, new byte[] { 0 },
            new MerkleProof(0, 1, []), new MerkleProof(0, 1, []));
        var proof = new DecisionProof([new AcceptVote(0, signature), new AcceptVote(1, signature)]);
        Hash256 hash = Hash256.Compute("batch"u8);

        var seeds = new Dictionary<string, List<byte[]>>
        {
            ["hello"] = [new Hello(ChainId, 1, key.PublicKey, new byte[Hello.X25519KeySize]).Encode()],
            ["frames"] = [Units([3], [1, 2, 3]), Units([0], [70000])],
            ["request"] = [request.Encoded.ToArray()],
            ["query"] = [new QueryMessage(7, key.PublicKey.ToArray()).Encode()],
            ["reply"] = [new ReplyMessage(hash, ReplyStatus.Executed, 4, new byte[] { 1, 2 }).Encode(), new QueryResultMessage(7, 4, 3, new byte[] { 9 }).Encode()],
            ["consensus"] =
            [
                MessageCodec.Encode(new Propose(0, 1, 0, [request])),
                MessageCodec.Encode(new Write(0, 1, 0, hash, signature)),
                MessageCodec.Encode(new Accept(0, 1, 0, hash, signature)),
                MessageCodec.Encode(new StopMessage(0, 2, 1)),
                MessageCodec.Encode(new Fetch(0, 1, 0)),
                MessageCodec.Encode(new DecisionMessage(0, 1, 0, [request], proof)),
            ],
            ["transfer"] =
            [
                new TransferMessage.TipRequest(3).Encode(),
                new TransferMessage.Tip(block0.Header, certificate, [receipt]).Encode(),
                new TransferMessage.BlocksRequest(1, 5).Encode(),
                new TransferMessage.Blocks(0, [block0]).Encode(),
                new TransferMessage.SnapshotRequest(1000, 0, 4096).Encode(),
                new TransferMessage.SnapshotChunk(1000, 0, new byte[] { 1, 2, 3 }).Encode(),
                new TransferMessage.Unavailable(5, "pruned").Encode(),
            ],
            ["block-signature"] = [new BlockSignatureMessage(1, hash, signature, true).Encode()],
            ["block-certificate"] = [new BlockCertificateMessage(1, hash, null).Encode(), new BlockCertificateMessage(1, hash, certificate).Encode()],
            ["block"] = [CanonicalEncoding.ToArray(block0, static (ref CanonicalWriter w, Block b) => b.WriteTo(ref w))],
            ["certificate"] = [CanonicalEncoding.ToArray(certificate, static (ref CanonicalWriter w, BlockCertificate c) => c.WriteTo(ref w))],
            ["receipt"] = [receipt.Encode()],
            ["decision-proof"] = [proof.EncodeForBlock(2)],
            ["reconfiguration"] = [],
            ["coin"] = [CoinOperation.Mint([new CoinOutput(key.PublicKey, 5)]).Encode(), CoinOperation.Spend([hash], [new CoinOutput(key.PublicKey, 5)]).Encode()],
            ["snapshot"] = [ReplicaSnapshot.Take(1000, 999, [new ClientEntry(key.PublicKey, 3, 998)], [1, 2], static w => w.Write<byte>([7, 7])).Bytes],
            ["genesis"] = [GenesisJson.Serialize(genesis)],
        };
        string scratch = Path.Combine(Path.GetTempPath(), $"smartchain-corpus-{Environment.ProcessId}");
        Directory.CreateDirectory(scratch);
        try
        {
            seeds["segment"] = [Segment(scratch, block0, certificate)];
            seeds["votelog"] = [Votes(scratch, request, hash)];
            string keyFile = Path.Combine(scratch, "node.key");
            KeyFile.Save(key, keyFile);
            seeds["keyfile"] = [File.ReadAllBytes(keyFile)];
            string chainFile = Path.Combine(scratch, ViewKeyChain.DefaultFileName);
            using (ViewKeyChain.Create(chainFile, 4))
            {
            }

            seeds["keychain"] = [File.ReadAllBytes(chainFile)];
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        foreach (FuzzTarget target in Targets.All)
        {
            string dir = Path.Combine(root, target.Name);
            Directory.CreateDirectory(dir);
            List<byte[]> inputs = seeds.TryGetValue(target.Name, out List<byte[]>? found) ? found : [];
            byte[]? first = inputs.Count > 0 ? inputs[0] : null;
            inputs.Add([]);
            inputs.Add(new byte[16]); // zeros: what a crash after a file grew leaves
            inputs.Add([.. Enumerable.Repeat((byte)0xff, 16)]); // maximal lengths and counts
            if (first is { Length: > 8 })
            {
                inputs.Add(first[..(first.Length / 2)]); // truncated
                inputs.Add([.. first, .. new byte[8]]); // zero-filled tail
            }

            for (int i = 0; i < inputs.Count; i++)
            {
                File.WriteAllBytes(Path.Combine(dir, $"seed-{i:D2}"), inputs[i]);
            }
        }
    }

    private static GenesisDocument Genesis(Ed25519KeyPair key)
    {
        var members = Enumerable.Range(0, 4).Select(i =>
        {
            var identity = new Ed25519PublicKey(Hash256.Compute(BitConverter.GetBytes(i)).ToArray());
            return ReplicaMember.WithOneViewKey(i, "127.0.0.1", 20000 + (2 * i), 20001 + (2 * i), identity);
        });
        return new GenesisDocument(ChainId, PersistenceMode.Strong, new View(0, members), ConsensusParameters.Default, 500, [key.PublicKey]);
    }

    private static byte[] Units(int[] lengths, int[] declared)
    {
        var bytes = new List<byte>();
        Span<byte> prefix = stackalloc byte[4];
        for (int i = 0; i < lengths.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(prefix, (uint)declared[i]);
            bytes.AddRange(prefix.ToArray());
            bytes.AddRange(new byte[lengths[i]]);
        }

        return [.. bytes];
    }

    private static byte[] Segment(string scratch, Block block0, BlockCertificate certificate)
    {
        string data = Path.Combine(scratch, "data");
        using (BlockStore store = BlockStore.Open(data))
        {
            store.Append(block0);
            store.AppendCertificate(0, certificate);
            store.Commit();
        }

        return File.ReadAllBytes(Path.Combine(data, BlockStore.FolderName, "segment-000000.log"));
    }

    private static byte[] Votes(string scratch, SignedRequest request, Hash256 hash)
    {
        string path = Path.Combine(scratch, VoteLog.FileName);
        using (VoteLog log = VoteLog.Open(path, 0, out _, _ => { }))
        {
            log.Append([new VoteRecord(MessageType.Propose, 1, 0, hash, [request]), new VoteRecord(MessageType.Write, 1, 0, hash)]);
        }

        return File.ReadAllBytes(path);
    }
}
