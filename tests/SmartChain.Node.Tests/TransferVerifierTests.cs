using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>What state transfer checks before it applies a block or believes a tip, one bad input at a time.</summary>
public sealed class TransferVerifierTests : IDisposable
{
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(120 + i), 32).ToArray()))];
    private readonly GenesisDocument _genesis;
    private readonly TransferVerifier _verifier;

    public TransferVerifierTests()
    {
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 1000 + (2 * i), 1001 + (2 * i), _keys[i].PublicKey)));
        _genesis = new GenesisDocument("transfer-test", PersistenceMode.Strong, view, ConsensusParameters.Default, 10, []);
        _verifier = new TransferVerifier(_genesis, new Ledger.Reconfiguration.ViewHistory(view));
    }

    public void Dispose() => Array.ForEach(_keys, k => k.Dispose());

    private Block Certified(Block block, string chain = "transfer-test", params int[] signers) =>
        block with { Certificate = new BlockCertificate([.. (signers.Length == 0 ? [0, 1, 2] : signers).Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(_keys[i], chain, block.Hash)))]) };

    private (Block Genesis, Block One, Block Two) Chain()
    {
        Block genesis = Block.Genesis(_genesis);
        Block one = Certified(Block.Next(genesis.Header, 1, [new byte[] { 1 }], [new byte[] { 2 }], new byte[] { 3 }));
        Block two = Certified(Block.Next(one.Header, 2, [new byte[] { 4 }], [new byte[] { 5 }], new byte[] { 6 }));
        return (genesis, one, two);
    }

    [Fact]
    public void A_certified_linked_block_passes()
    {
        (Block genesis, Block one, Block two) = Chain();
        Assert.Null(_verifier.CheckNext(one, 1, genesis.Hash));
        Assert.Null(_verifier.CheckNext(two, 2, one.Hash));
        Assert.Null(_verifier.CheckTip(two.Header, two.Certificate, []));
        Assert.Null(_verifier.CheckTip(genesis.Header, null, []));
    }

    [Fact]
    public void A_block_that_does_not_link_is_refused()
    {
        (Block genesis, _, Block two) = Chain();
        Assert.Equal("block 2: hashLastBlock does not link to block 1", _verifier.CheckNext(two, 2, genesis.Hash));
        Assert.Equal("sent block 2 where block 1 belongs", _verifier.CheckNext(two, 1, genesis.Hash));
    }

    [Fact]
    public void A_forged_or_short_certificate_is_refused()
    {
        (Block genesis, Block one, _) = Chain();
        Block forged = one with { Certificate = new BlockCertificate([.. one.Certificate!.Signatures.Select(s => (s.ReplicaId, (ReadOnlyMemory<byte>)new byte[64]))]) };
        Assert.Contains("certificate that does not verify", _verifier.CheckNext(forged, 1, genesis.Hash), StringComparison.Ordinal);
        Assert.Contains("certificate that does not verify", _verifier.CheckNext(Certified(one with { Certificate = null }, "transfer-test", 0, 1), 1, genesis.Hash), StringComparison.Ordinal);
        Assert.Contains("without a certificate", _verifier.CheckNext(one with { Certificate = null }, 1, genesis.Hash), StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_certified_for_another_chain_is_refused()
    {
        (Block genesis, Block one, _) = Chain();
        Block other = Certified(one with { Certificate = null }, "another-chain");
        Assert.Contains("does not verify for chain transfer-test", _verifier.CheckNext(other, 1, genesis.Hash), StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_does_not_match_its_header_is_refused()
    {
        (Block genesis, Block one, _) = Chain();
        Block changed = one with { Body = one.Body with { Results = [new byte[] { 9 }] } };
        Assert.Equal("block 1: hashResults does not match the results", _verifier.CheckNext(changed, 1, genesis.Hash));
    }

    [Fact]
    public void A_tip_claimed_far_beyond_the_real_one_cannot_carry_a_valid_certificate()
    {
        (_, _, Block two) = Chain();
        Assert.Contains("block 100002 with a certificate that does not verify", _verifier.CheckTip(two.Header with { Number = 100_002 }, two.Certificate, []), StringComparison.Ordinal);
        Assert.Equal("a block 0 that is not this chain's genesis block", _verifier.CheckTip(two.Header with { Number = 0 }, null, []));
    }
}
