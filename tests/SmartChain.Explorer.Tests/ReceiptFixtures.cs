using System.Text;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Reconfiguration.State;

namespace SmartChain.Explorer.Tests;

/// <summary>
/// A small chain built by the C# ledger code, with real Ed25519 keys: a genesis of 4 replicas with key chains of 3 keys,
/// block 1 (three transactions, certified by view 0), block 2 (a reconfiguration block installing view 1, certified by
/// view 0), block 3 (certified by view 1's keys), and blocks whose certified entries are a forged request or not a
/// request at all. Receipts of these, each tampered in one field, are what the browser's verifier must judge exactly as
/// <see cref="CSharpVerdict"/> (the steps of <c>smartchain receipt verify</c>) does.
/// </summary>
public sealed class ReceiptFixtures
{
    private readonly Ed25519KeyPair[][] _chainKeys;

    public ReceiptFixtures()
    {
        const int n = 4;
        var identities = Enumerable.Range(0, n).Select(i => Ed25519KeyPair.FromSeed(Seed(10 + i))).ToArray();
        _chainKeys = [.. Enumerable.Range(0, n).Select(i => Enumerable.Range(0, 3).Select(k => Ed25519KeyPair.FromSeed(Seed(40 + (10 * i) + k))).ToArray())];
        Client = Ed25519KeyPair.FromSeed(Seed(99));
        var members = new List<ReplicaMember>();
        var viewKeys = new Dictionary<int, IReadOnlyList<Ed25519PublicKey>>();
        for (int i = 0; i < n; i++)
        {
            Ed25519PublicKey[] keys = [.. _chainKeys[i].Select(k => k.PublicKey)];
            var chain = KeyChainCommitment.Create(keys, 0);
            members.Add(new ReplicaMember(i, "127.0.0.1", 27000 + (2 * i), 27001 + (2 * i), identities[i].PublicKey, chain, chain.Prove(keys, 0)));
            viewKeys[i] = keys;
        }

        View0 = new View(0, members);
        View1 = new View(1, members.Select(m => m.InView(1, viewKeys[m.Id])));
        Genesis = new GenesisDocument("explorer-test", PersistenceMode.Strong, View0, ConsensusParameters.Default, 1000, [Client.PublicKey], viewKeys);
        GenesisJsonText = Encoding.UTF8.GetString(GenesisJson.Serialize(Genesis));

        BlockHeader genesisHeader = Block.Genesis(Genesis).Header;
        BuiltBlock b1 = BuiltBlock.Next(genesisHeader, 1, [Request(1, [1, 2, 3]), Request(2, [1, 9]), Request(3, [2, 7, 7, 7])],
            [new byte[] { 0, 1 }, new byte[] { 0, 2, 2 }, new byte[] { 0, 3 }], ReadOnlyMemory<byte>.Empty);
        Block1 = b1.Receipt(1, Certify(b1.Block.Header, view: 0, 0, 1, 2));
        CertifiedBlock1 = b1.Block with { Certificate = Block1.Certificate };

        // A LEAVE-shaped system request whose result installs view 1: what a reconfiguration block holds.
        BuiltBlock b2 = BuiltBlock.Next(b1.Block.Header, 2, [Request(4, [0xFF, 3, 0, 0, 0, 0])], [SystemResult.Installed(View1).Encode()],
            ReadOnlyMemory<byte>.Empty, installsView: true);
        ViewProof = b2.Receipt(0, Certify(b2.Block.Header, view: 0, 0, 1, 3));

        BuiltBlock b3 = BuiltBlock.Next(b2.Block.Header, 3, [Request(5, [1, 5])], [new byte[] { 0, 5 }], ReadOnlyMemory<byte>.Empty);
        Block3 = b3.Receipt(0, Certify(b3.Block.Header, view: 1, 1, 2, 3));

        byte[] forged = Request(6, [1, 6]);
        forged[^1] ^= 0x01;
        BuiltBlock bForged = BuiltBlock.Next(b1.Block.Header, 2, [forged], [new byte[] { 0, 6 }], ReadOnlyMemory<byte>.Empty);
        ForgedRequest = bForged.Receipt(0, Certify(bForged.Block.Header, view: 0, 0, 1, 2));

        BuiltBlock bGarbage = BuiltBlock.Next(b1.Block.Header, 2, [new byte[] { 7, 7, 7 }], [new byte[] { 0 }], ReadOnlyMemory<byte>.Empty);
        NotARequest = bGarbage.Receipt(0, Certify(bGarbage.Block.Header, view: 0, 1, 2, 3));
    }

    public Ed25519KeyPair Client { get; }

    public View View0 { get; }

    public View View1 { get; }

    public GenesisDocument Genesis { get; }

    /// <summary>genesis.json as <c>testnet init</c> writes it.</summary>
    public string GenesisJsonText { get; }

    /// <summary>Entry 1 of block 1, certified by replicas 0, 1, 2 of view 0.</summary>
    public TransactionReceipt Block1 { get; }

    /// <summary>Block 1 itself (three entries, certified by replicas 0, 1, 2 of view 0): what a node's block page serves.</summary>
    public Block CertifiedBlock1 { get; }

    /// <summary>The receipt of block 2's entry, which installs view 1.</summary>
    public TransactionReceipt ViewProof { get; }

    /// <summary>Entry 0 of block 3, certified by replicas 1, 2, 3 with their view-1 keys.</summary>
    public TransactionReceipt Block3 { get; }

    /// <summary>A certified entry whose client signature is wrong.</summary>
    public TransactionReceipt ForgedRequest { get; }

    /// <summary>A certified entry that is not a request.</summary>
    public TransactionReceipt NotARequest { get; }

    /// <summary>The proofs file (<c>.receipt.views</c>) leading from genesis to view 1.</summary>
    public byte[] ViewProofs => ViewQuery.EncodeAnswer([ViewProof.Encode()]);

    /// <summary>
    /// What <c>smartchain receipt verify</c> concludes, by the same library calls as ReceiptCommands: null if the receipt
    /// holds, else the problem (decoding error, view-proof failure, unknown view, or TransactionReceipt.Verify's reason).
    /// </summary>
    public string? CSharpVerdict(byte[] receipt, byte[]? viewProofs)
    {
        TransactionReceipt r;
        try
        {
            r = TransactionReceipt.Decode(receipt);
        }
        catch (EncodingException e)
        {
            return e.Message;
        }

        var views = new ViewHistory(Genesis.InitialView);
        if (viewProofs is not null)
        {
            IReadOnlyList<TransactionReceipt> proofs;
            try
            {
                proofs = ViewQuery.DecodeAnswer(viewProofs);
            }
            catch (EncodingException e)
            {
                return e.Message;
            }

            if (ViewChain.Follow(Genesis.InitialView, Genesis.ChainId, proofs, out _, (proof, next) => views.Add(proof.Header.Number, next)) is { } bad)
            {
                return bad;
            }
        }

        return views.CertifyingView(r.Header, out string? unknown) is not { } view ? unknown : r.Verify(view, Genesis.ChainId);
    }

    /// <summary>A certificate of <paramref name="header"/> by <paramref name="replicas"/> with their keys of view <paramref name="view"/>.</summary>
    public BlockCertificate Certify(BlockHeader header, int view, params int[] replicas) =>
        new([.. replicas.Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(_chainKeys[i][view], Genesis.ChainId, header.Hash())))]);

    private byte[] Request(ulong sequence, byte[] operation) => SignedRequest.Create(Genesis.ChainId, Client, sequence, 0, operation).Encoded.ToArray();

    private static byte[] Seed(int b) => Enumerable.Repeat((byte)b, 32).ToArray();
}
