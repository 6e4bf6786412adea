using SmartChain.Consensus;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Reconfiguration.State;
using SmartChain.TestSupport;

namespace SmartChain.Storage.Simulation;

/// <summary>
/// The chain every run appends from, built once: a 4-replica genesis (Strong persistence, a checkpoint every
/// <see cref="Period"/> blocks), blocks of real signed requests with real decision proofs, each block's certificate
/// of three signatures, the snapshot a replica writes at each checkpoint block, and the votes cast for each instance.
/// Built as a replica would: the application executes each batch, the client table records it.
/// </summary>
internal sealed class StorageChain
{
    public const string ChainId = "storage-sim";
    public const long Period = 5;
    public const int Length = 120;

    private StorageChain()
    {
        Keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(60 + i), 32).ToArray()))];
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 1000 + (2 * i), 1001 + (2 * i), Keys[i].PublicKey)));
        Genesis = new GenesisDocument(ChainId, PersistenceMode.Strong, view, ConsensusParameters.Default, Period, []);
        Ed25519KeyPair[] clientKeys = [.. Enumerable.Range(0, 3).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(90 + i), 32).ToArray()))];

        var app = new DigestApplication();
        var clients = new ClientTable(ConsensusParameters.Default.RequestWindow);
        byte[] reconfiguration = ReconfigurationState.FromGenesis(Genesis).Encode();
        Block previous = Block.Genesis(Genesis);
        Blocks.Add(previous);
        Certificates.Add(null);
        Votes.Add([]);
        (byte[] pending, Hash256 pendingHash) = ReplicaSnapshot.Take(0, 0, clients.Entries, reconfiguration, app.WriteSnapshot);
        long pendingBlock = 0;
        long instance = 0;
        ulong sequence = 1;
        for (long n = 1; n <= Length; n++)
        {
            Block block;
            VoteRecord[] votes = [];
            if (CheckpointBlock.IsCheckpoint(n, Period))
            {
                block = CheckpointBlock.Build(previous.Header, instance, new CheckpointRecord(pendingBlock, pendingHash, pending.Length)).Block;
            }
            else
            {
                instance++;
                Ed25519KeyPair client = clientKeys[instance % clientKeys.Length];
                SignedRequest[] requests = [.. Enumerable.Range(0, 1 + (int)(n % 3)).Select(j => SignedRequest.Create(ChainId, client, sequence++, instance - 1, [(byte)n, (byte)j]))];
                ReadOnlyMemory<byte>[] results = [.. app.ExecuteBatch(new(n, instance), requests).Select(r => (ReadOnlyMemory<byte>)r)];
                clients.Record(requests, instance);
                Hash256 batch = BatchHash.Compute(requests);
                byte[] statement = AcceptStatement.Encode(ChainId, 0, instance, 0, batch);
                var proof = new DecisionProof([.. Enumerable.Range(0, 3).Select(i => new AcceptVote(i, Keys[i].Sign(statement)))]);
                block = Block.Next(previous.Header, instance, [.. requests.Select(r => r.Encoded)], results, proof.EncodeForBlock(0));
                votes = [new VoteRecord(Consensus.Messages.MessageType.Write, instance, 0, batch), new VoteRecord(Consensus.Messages.MessageType.Accept, instance, 0, batch)];
            }

            Blocks.Add(block);
            Certificates.Add(new BlockCertificate([.. Enumerable.Range(0, 3).Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(Keys[i], ChainId, block.Hash)))]));
            Votes.Add(votes);
            previous = block;
            if (CheckpointBlock.IsCheckpoint(n, Period))
            {
                (pending, pendingHash) = ReplicaSnapshot.Take(n, instance, clients.Entries, reconfiguration, app.WriteSnapshot);
                pendingBlock = n;
                Snapshots[n] = pending;
            }
        }

        foreach (Ed25519KeyPair key in clientKeys)
        {
            key.Dispose();
        }
    }

    /// <summary>The one chain, built on first use (about a thousand signatures, once per process).</summary>
    public static StorageChain Instance => Lazy.Value;

    public Ed25519KeyPair[] Keys { get; }

    public GenesisDocument Genesis { get; }

    /// <summary>Block n, without its certificate.</summary>
    public List<Block> Blocks { get; } = [];

    /// <summary>The certificate of block n (none for genesis).</summary>
    public List<BlockCertificate?> Certificates { get; } = [];

    /// <summary>The votes cast for the instance block n decided, before it was decided (none for genesis and checkpoint blocks).</summary>
    public List<VoteRecord[]> Votes { get; } = [];

    /// <summary>The snapshot file a replica writes at checkpoint block n.</summary>
    public Dictionary<long, byte[]> Snapshots { get; } = [];

    private static Lazy<StorageChain> Lazy { get; } = new(() => new StorageChain());

    /// <summary>The block's header and body as the store encodes them, for byte-for-byte comparison.</summary>
    public static byte[] Encode(Block block) => CanonicalEncoding.ToArray(block, static (ref CanonicalWriter w, Block b) => b.WriteTo(ref w));

    public static byte[] Encode(BlockCertificate certificate) =>
        CanonicalEncoding.ToArray(certificate, static (ref CanonicalWriter w, BlockCertificate c) => c.WriteTo(ref w));
}
