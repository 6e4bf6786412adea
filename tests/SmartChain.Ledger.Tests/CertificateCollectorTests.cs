using SmartChain.Core.Crypto;
using SmartChain.Core.Views;
using SmartChain.Ledger.Certification;

namespace SmartChain.Ledger.Tests;

public sealed class CertificateCollectorTests : IDisposable
{
    private readonly LedgerFixture _f = new();
    private readonly List<(int From, long Block, string Detail)> _evidence = [];
    private readonly CertificateCollector _collector;
    private readonly Block _block;

    public CertificateCollectorTests()
    {
        _collector = new CertificateCollector(_f.View, LedgerFixture.Chain, (from, block, detail) => _evidence.Add((from, block, detail)), window: 100);
        _block = _f.Chainof(1)[1];
    }

    public void Dispose() => _f.Dispose();

    private ReadOnlyMemory<byte> Sign(int replica, Hash256 hash) => BlockCertificate.Sign(_f.Keys[replica], LedgerFixture.Chain, hash);

    [Fact]
    public void Q_valid_signatures_over_the_local_header_make_one_certificate_that_verifies()
    {
        Hash256 hash = _block.Hash;
        Assert.Null(_collector.SetLocal(1, hash));
        Assert.Null(_collector.Add(2, 1, hash, Sign(2, hash)));
        Assert.Null(_collector.Add(2, 1, hash, Sign(2, hash))); // a repeat counts once
        Assert.Null(_collector.Add(0, 1, hash, Sign(0, hash)));
        BlockCertificate? certificate = _collector.Add(3, 1, hash, Sign(3, hash));

        Assert.NotNull(certificate);
        Assert.Equal([0, 2, 3], certificate.Signatures.Select(s => s.ReplicaId));
        Assert.Null(certificate.Verify(_f.View, LedgerFixture.Chain, hash));
        Assert.Empty(_collector.Uncertified);
        Assert.Null(_collector.Add(1, 1, hash, Sign(1, hash))); // late: already certified, ignored
        Assert.Empty(_evidence);
    }

    [Fact]
    public void Signatures_that_arrive_before_the_block_wait_and_count_once_it_is_built()
    {
        Hash256 hash = _block.Hash;
        Assert.Null(_collector.Add(1, 1, hash, Sign(1, hash)));
        Assert.Null(_collector.Add(2, 1, hash, Sign(2, hash)));
        Assert.Null(_collector.Add(3, 1, hash, Sign(3, hash)));
        Assert.Equal(3, _collector.Buffered);
        Assert.NotNull(_collector.SetLocal(1, hash));
        Assert.Equal(0, _collector.Buffered);
    }

    [Fact]
    public void Signatures_beyond_the_quorum_are_not_verified_once_the_block_is_built()
    {
        // Issue 16: a slow replica builds its block after every peer's signature arrived. Q of them complete the
        // certificate; checking the rest costs an Ed25519 verification each and adds nothing. Replica 3's (forged) comes
        // last: were it checked, it would be evidence.
        Hash256 hash = _block.Hash;
        Assert.Null(_collector.Add(0, 1, hash, Sign(0, hash)));
        Assert.Null(_collector.Add(1, 1, hash, Sign(1, hash)));
        Assert.Null(_collector.Add(2, 1, hash, Sign(2, hash)));
        byte[] forged = Sign(3, hash).ToArray();
        forged[7] ^= 1;
        Assert.Null(_collector.Add(3, 1, hash, forged));

        BlockCertificate? certificate = _collector.SetLocal(1, hash);

        Assert.NotNull(certificate);
        Assert.Equal([0, 1, 2], certificate.Signatures.Select(s => s.ReplicaId));
        Assert.Empty(_evidence);
        Assert.Equal(0, _collector.Buffered);
    }

    [Fact]
    public void The_replicas_own_signature_counts_with_its_block_and_two_peers_complete_the_certificate()
    {
        // Its own signature, made a moment ago over its own header, is not verified again: the certificate needs only
        // Q - 1 peers' signatures checked.
        Hash256 hash = _block.Hash;
        Assert.Null(_collector.SetLocal(1, hash, (0, Sign(0, hash))));
        Assert.Null(_collector.Add(2, 1, hash, Sign(2, hash)));
        BlockCertificate? certificate = _collector.Add(3, 1, hash, Sign(3, hash));

        Assert.NotNull(certificate);
        Assert.Equal([0, 2, 3], certificate.Signatures.Select(s => s.ReplicaId));
        Assert.Null(certificate.Verify(_f.View, LedgerFixture.Chain, hash));
        Assert.Empty(_evidence);
    }

    [Fact]
    public void A_signature_over_another_header_or_an_invalid_one_is_evidence_and_does_not_count()
    {
        Hash256 hash = _block.Hash;
        Hash256 other = Hash256.Compute("a different block 1"u8);
        _collector.Add(1, 1, other, Sign(1, other)); // arrives early; judged when the local block exists
        _collector.SetLocal(1, hash);
        byte[] forged = Sign(2, hash).ToArray();
        forged[7] ^= 1;
        _collector.Add(2, 1, hash, forged);
        _collector.Add(0, 1, hash, Sign(0, hash));
        Assert.Null(_collector.Add(3, 1, hash, Sign(3, hash))); // only 0 and 3 count: no quorum

        Assert.Equal([(1, 1L), (2, 1L)], _evidence.Select(e => (e.From, e.Block)));
        Assert.Contains("signed header", _evidence[0].Detail, StringComparison.Ordinal);
        Assert.Contains("does not verify", _evidence[1].Detail, StringComparison.Ordinal);
        Assert.Equal([1L], _collector.Uncertified);
    }

    [Fact]
    public void A_peer_repeating_a_refused_signature_costs_one_check_and_one_evidence_line_per_block()
    {
        // A Byzantine peer may send its bad signature of a block as fast as its link goes: each one was checked with
        // Ed25519 and logged as a warning on the ledger loop. A correct replica's signature never fails, so the first
        // refusal is the peer's last word on that block; its other blocks are judged on their own.
        Hash256 hash = _block.Hash;
        _collector.SetLocal(1, hash);
        byte[] forged = Sign(2, hash).ToArray();
        forged[7] ^= 1;
        for (int i = 0; i < 1_000; i++)
        {
            Assert.Null(_collector.Add(2, 1, hash, forged));
        }

        Assert.Equal([(2, 1L)], _evidence.Select(e => (e.From, e.Block)));

        // Refused for this block, even signed right: the certificate is the three others'.
        BlockCertificate? certificate = null;
        foreach (int replica in new[] { 2, 0, 1, 3 })
        {
            certificate ??= _collector.Add(replica, 1, hash, Sign(replica, hash));
        }

        Assert.NotNull(certificate);
        Assert.Equal([0, 1, 3], certificate.Signatures.Select(s => s.ReplicaId));
    }

    [Fact]
    public void Non_members_and_signatures_far_beyond_the_window_are_not_kept()
    {
        Hash256 hash = _block.Hash;
        Assert.Null(_collector.Add(9, 1, hash, Sign(0, hash))); // before the block is built here, its view may not be known yet
        Assert.Null(_collector.SetLocal(1, hash));
        Assert.Contains("not in", _evidence.Single().Detail, StringComparison.Ordinal);
        Assert.Null(_collector.Add(1, 500, hash, Sign(1, hash)));
        Assert.Equal(0, _collector.Buffered);
    }

    [Fact]
    public void Blocks_certified_before_a_restart_are_not_collected_again()
    {
        _collector.SkipTo(5);
        Hash256 hash = _block.Hash;
        Assert.Null(_collector.Add(1, 3, hash, Sign(1, hash)));
        Assert.Equal(0, _collector.Buffered);
        Assert.Null(_collector.LowestUncertified);
    }

    // Issue 15: a block of a view the others have left can be certified by nothing but a certificate they stored then.
    [Fact]
    public void A_whole_certificate_of_the_blocks_view_over_the_local_header_certifies_it_once()
    {
        Hash256 hash = _block.Hash;
        Assert.Null(_collector.SetLocal(1, hash));
        Assert.Null(_collector.Add(3, 1, hash, Sign(3, hash))); // a signature of its own that a certificate need not hold
        BlockCertificate sent = _f.Certify(_block, 0, 1, 2);

        Assert.Same(sent, _collector.Adopt(2, 1, hash, sent));
        Assert.Empty(_collector.Uncertified);
        Assert.Null(_collector.Adopt(2, 1, hash, sent)); // certified already: nothing to adopt
        Assert.Null(_collector.Add(0, 1, hash, Sign(0, hash)));
        Assert.Null(_collector.Adopt(1, 7, hash, sent)); // a block not built here: not judged, not kept
        Assert.Empty(_evidence);
    }

    [Fact]
    public void A_certificate_that_does_not_hold_in_the_blocks_view_or_certifies_another_header_is_evidence_and_certifies_nothing()
    {
        // Block 1 is certified by view 1, whose members (the same replicas) hold other keys than in view 0.
        Ed25519KeyPair[] viewOneKeys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(60 + i), 32).ToArray()))];
        var viewOne = new View(1, _f.View.Members.Select(m =>
        {
            Ed25519PublicKey[] chain = [_f.Keys[m.Id].PublicKey, viewOneKeys[m.Id].PublicKey];
            var commitment = KeyChainCommitment.Create(chain, 0);
            return m with { Chain = commitment, ViewKey = commitment.Prove(chain, 1) };
        }));
        _collector.ViewFrom(1, viewOne);
        Hash256 hash = _block.Hash;
        Hash256 other = Hash256.Compute("a different block 1"u8);
        Assert.Null(_collector.SetLocal(1, hash));
        BlockCertificate ByViewOne(Hash256 header, params int[] signers) =>
            new([.. signers.Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(viewOneKeys[i], LedgerFixture.Chain, header)))]);

        Assert.Null(_collector.Adopt(0, 1, hash, _f.Certify(_block, 0, 1, 2))); // signed with the keys of view 0
        Assert.Null(_collector.Adopt(1, 1, hash, ByViewOne(hash, 0, 1))); // fewer than Q
        Assert.Null(_collector.Adopt(2, 1, hash, ByViewOne(hash, 0, 1, 1))); // one signer twice
        Assert.Null(_collector.Adopt(3, 1, other, ByViewOne(other, 0, 1, 2))); // a quorum, of another header
        Assert.Null(_collector.Adopt(0, 1, hash, ByViewOne(other, 0, 1, 2))); // claims this header, signs another

        Assert.Equal([0, 1, 2, 3, 0], _evidence.Select(e => e.From));
        Assert.Contains("does not verify with its key of view 1", _evidence[0].Detail, StringComparison.Ordinal);
        Assert.Contains("needs 3", _evidence[1].Detail, StringComparison.Ordinal);
        Assert.Contains("two signatures from replica 1", _evidence[2].Detail, StringComparison.Ordinal);
        Assert.Contains("this replica's header is", _evidence[3].Detail, StringComparison.Ordinal);
        Assert.Equal([1L], _collector.Uncertified);
        Assert.Equal(hash, _collector.UncertifiedHash(1));
    }
}
