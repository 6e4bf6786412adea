using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Certification;
using SmartChain.Ledger.Store;
using SmartChain.Network;
using SmartChain.Node.Pipeline;

namespace SmartChain.Node.Tests;

/// <summary>
/// A request for a block's certificate is 41 bytes; answering it reads the whole block from disk (and may sign), and a
/// certificate sent for an uncertified block costs up to n signature checks (and a warning line) on the ledger loop. A
/// Byzantine peer repeating either as fast as its link goes must not get more than its share of that loop: an honest
/// peer asks for at most <see cref="CertificateRequests.MaxRequestedBlocks"/> blocks a second, so each peer is served
/// a few times that between two ticks, and the rest is dropped. Another peer is served all the same. Real block store on
/// disk and real Ed25519.
/// </summary>
public sealed class CertificationBudgetTests : IDisposable
{
    private const string Chain = "certification-budget";
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(i => Key((byte)(70 + i)))];
    private readonly string _dir = Directory.CreateTempSubdirectory("smartchain-budget-").FullName;
    private readonly View _view;

    public CertificationBudgetTests() =>
        _view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 30000 + (2 * i), 30001 + (2 * i), _keys[i].PublicKey)));

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in _keys)
        {
            key.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_peer_repeating_requests_is_answered_up_to_its_budget_per_tick_and_another_peer_still_is()
    {
        using BlockStore store = CertifiedBlockStore(out Hash256 first);
        var links = new RecordingLinks();
        var collector = new CertificateCollector(_view, Chain, (_, _, _) => { });
        collector.SkipTo(1);
        using var signer = new Views.ViewSigner(3, _keys[3], null);
        var requests = new CertificateRequests(Chain, store, collector, signer, links, [], (_, _) => { });

        const int Flood = 2_000;
        for (int i = 0; i < Flood; i++)
        {
            requests.Answer(1, 1);
        }

        requests.Answer(2, 1);
        int served = links.SentTo(1);
        Assert.InRange(served, CertificateRequests.MaxRequestedBlocks, CertificateRequests.MaxServedPerPeerPerTick);
        Assert.Equal(1, links.SentTo(2));
        Assert.All(links.Sent, s =>
        {
            Assert.Equal(FrameType.BlockCertificate, s.Type);
            Assert.Equal(first, BlockCertificateMessage.Decode(s.Payload).HeaderHash);
        });

        // The next tick gives the flooding peer its budget again: an honest peer asking again a second later is answered.
        requests.Retransmit();
        requests.Answer(1, 1);
        Assert.Equal(served + 1, links.SentTo(1));
    }

    [Fact]
    public void A_peer_repeating_bad_certificates_costs_checks_up_to_its_budget_per_tick()
    {
        using BlockStore store = CertifiedBlockStore(out _);
        int evidence = 0;
        var collector = new CertificateCollector(_view, Chain, (from, _, _) => evidence += from == 1 ? 1 : 0);
        collector.SkipTo(1);
        Hash256 second = Hash256.Compute("block 2"u8);
        Assert.Null(collector.SetLocal(2, second));
        using var signer = new Views.ViewSigner(3, _keys[3], null);
        var requests = new CertificateRequests(Chain, store, collector, signer, new RecordingLinks(), [], (_, _) => { });

        // Two good signatures and a bad third: each one sent is checked signature by signature, to the last.
        byte[] good0 = BlockCertificate.Sign(_keys[0], Chain, second);
        byte[] good2 = BlockCertificate.Sign(_keys[2], Chain, second);
        var bad = new BlockCertificateMessage(2, second, new BlockCertificate([(0, good0), (1, new byte[Ed25519.SignatureSize]), (2, good2)]));
        for (int i = 0; i < 2_000; i++)
        {
            Assert.Null(requests.Adopt(1, bad));
        }

        Assert.InRange(evidence, 1, CertificateRequests.MaxServedPerPeerPerTick);

        // Another peer's good certificate is still adopted in the same tick.
        byte[] good1 = BlockCertificate.Sign(_keys[1], Chain, second);
        var good = new BlockCertificateMessage(2, second, new BlockCertificate([(0, good0), (1, good1), (2, good2)]));
        Assert.NotNull(requests.Adopt(2, good));
    }

    // Genesis and block 1 with a certificate of replicas 0–2, committed to a block store in this test's folder.
    private BlockStore CertifiedBlockStore(out Hash256 first)
    {
        var genesis = new GenesisDocument(Chain, PersistenceMode.Strong, _view, ConsensusParameters.Default, 1000, [_keys[0].PublicKey]);
        Block zero = Block.Genesis(genesis);
        Block one = BuiltBlock.Next(zero.Header, 1, [], [], ReadOnlyMemory<byte>.Empty).Block;
        first = one.Hash;
        var certificate = new BlockCertificate([.. Enumerable.Range(0, 3).Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(_keys[i], Chain, one.Hash)))]);
        BlockStore store = BlockStore.Open(_dir);
        store.Append(zero);
        store.Append(one with { Certificate = certificate });
        store.Commit();
        return store;
    }

    private static Ed25519KeyPair Key(byte id)
    {
        byte[] seed = new byte[32];
        seed[0] = id;
        return Ed25519KeyPair.FromSeed(seed);
    }
}
