using SmartChain.Consensus;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Checkpoints;
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
        Block one = Certified(Decided(genesis.Header, 1, 1));
        Block two = Certified(Decided(one.Header, 2, 4));
        return (genesis, one, two);
    }

    // A block of instance `instance` holding one real request, with the proof Q members of view 0 would sign.
    private Block Decided(BlockHeader previous, long instance, byte operation, int regency = 0, int[]? voters = null, long? signedInstance = null)
    {
        using var client = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
        SignedRequest request = SignedRequest.Create("transfer-test", client, (ulong)instance, 0, [operation]);
        Hash256 batch = BatchHash.Compute([request]);
        byte[] statement = AcceptStatement.Encode("transfer-test", 0, signedInstance ?? instance, regency, batch);
        var proof = new DecisionProof([.. (voters ?? [0, 1, 2]).Select(i => new AcceptVote(i, _keys[i].Sign(statement)))]);
        return Block.Next(previous, instance, [request.Encoded], [new byte[] { 2 }], proof.EncodeForBlock(regency));
    }

    [Fact]
    public void A_checkpoint_block_must_repeat_the_consensus_id_of_the_block_before_it()
    {
        (_, _, Block two) = Chain();
        Block checkpoint = CheckpointBlock.Build(two.Header, two.Body.ConsensusId, new CheckpointRecord(0, default, 0)).Block;
        Block naming = CheckpointBlock.Build(two.Header, two.Body.ConsensusId + 1_000, new CheckpointRecord(0, default, 0)).Block;

        Assert.Null(TransferVerifier.CheckCheckpointInstance(checkpoint, two.Body.ConsensusId));
        Assert.Equal($"checkpoint block 3 names consensus id {two.Body.ConsensusId + 1_000}; the block before it is of instance {two.Body.ConsensusId}",
            TransferVerifier.CheckCheckpointInstance(naming, two.Body.ConsensusId));

        // A block with a decision proof binds its instance itself; an unknown block before leaves nothing to compare.
        Assert.Null(TransferVerifier.CheckCheckpointInstance(two, two.Body.ConsensusId + 7));
        Assert.Null(TransferVerifier.CheckCheckpointInstance(naming, previousInstance: null));
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

    // The decision proof is outside every hash: the certificate does not vouch for it, the verifier must.
    [Fact]
    public void A_certified_block_whose_decision_proof_is_empty_malformed_or_forged_is_refused()
    {
        (Block genesis, Block one, _) = Chain();
        Block Proof(byte[] bytes) => one with { Body = one.Body with { DecisionProof = bytes } };
        Assert.Contains("decision proof that does not decode", _verifier.CheckNext(Proof([]), 1, genesis.Hash), StringComparison.Ordinal);
        Assert.Contains("decision proof that does not decode", _verifier.CheckNext(Proof([1, 2, 3]), 1, genesis.Hash), StringComparison.Ordinal);

        // A far-future regency with votes that do not sign it: adopting it would move this replica's regency.
        byte[] forged = new DecisionProof([.. Enumerable.Range(0, 3).Select(i => new AcceptVote(i, new byte[64]))]).EncodeForBlock(int.MaxValue);
        Assert.Contains("decision proof that does not verify for instance 1, regency 2147483647", _verifier.CheckNext(Proof(forged), 1, genesis.Hash), StringComparison.Ordinal);

        // Real votes of too few members, or of another instance (the consensus id is outside every hash too).
        Block few = Certified(Decided(genesis.Header, 1, 1, voters: [0, 1]));
        Assert.Contains("decision proof that does not verify", _verifier.CheckNext(few, 1, genesis.Hash), StringComparison.Ordinal);
        Block other = Certified(Decided(genesis.Header, 1, 1, signedInstance: 9));
        Assert.Contains("decision proof that does not verify", _verifier.CheckNext(other, 1, genesis.Hash), StringComparison.Ordinal);
        Assert.Contains("decision proof that does not verify", _verifier.CheckNext(one with { Body = one.Body with { ConsensusId = 5 } }, 1, genesis.Hash), StringComparison.Ordinal);

        // A proven later regency passes (Q members signed it).
        Assert.Null(_verifier.CheckNext(Certified(Decided(genesis.Header, 1, 1, regency: 3)), 1, genesis.Hash));
    }
}
