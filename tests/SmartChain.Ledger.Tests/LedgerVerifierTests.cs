using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;
using SmartChain.TestSupport;

namespace SmartChain.Ledger.Tests;

public sealed class LedgerVerifierTests : IDisposable
{
    private readonly LedgerFixture _f = new();
    private readonly Ed25519KeyPair _client = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)77, 32).ToArray());

    public void Dispose()
    {
        _client.Dispose();
        _f.Dispose();
    }

    private ReadOnlyMemory<byte> Request(ulong sequence) =>
        SignedRequest.Create(LedgerFixture.Chain, _client, sequence, 0, System.Text.Encoding.UTF8.GetBytes($"op {sequence}")).Encoded;

    /// <summary>Genesis then <paramref name="count"/> blocks of 3 signed requests; <paramref name="tamper"/> may alter block k before it is certified or stored.</summary>
    private VerifyReport Verify(int count, Func<int, Block, Block>? tamper = null, bool certify = true)
    {
        var blocks = new List<Block> { Block.Genesis(_f.Genesis) };
        var app = new DigestApplication();
        ulong sequence = 1;
        for (int n = 1; n <= count; n++)
        {
            ReadOnlyMemory<byte>[] entries = [Request(sequence++), Request(sequence++), Request(sequence++)];
            ReadOnlyMemory<byte>[] results = [.. app.ExecuteBatch(new(n, n), [.. entries.Select(e => SignedRequest.Decode(e))]).Select(r => (ReadOnlyMemory<byte>)r)];
            Block block = Block.Next(blocks[^1].Header, n, entries, results, ReadOnlyMemory<byte>.Empty);
            block = certify ? block with { Certificate = _f.Certify(block) } : block;
            blocks.Add(tamper?.Invoke(n, block) ?? block);
        }

        using BlockStore store = BlockStore.Open(Path.Combine(_f.Folder, Guid.NewGuid().ToString("N")));
        foreach (Block block in blocks)
        {
            store.Append(block);
        }

        store.Commit();
        return LedgerVerifier.Verify(store, _f.Genesis, new DigestApplication());
    }

    private static ReadOnlyMemory<byte> Flip(ReadOnlyMemory<byte> bytes, int at)
    {
        byte[] copy = bytes.ToArray();
        copy[at] ^= 1;
        return copy;
    }

    [Fact]
    public void A_sound_ledger_verifies_and_reports_its_head()
    {
        VerifyReport report = Verify(10);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal((11L, 30L), (report.Blocks, report.Transactions));
        var replayed = new DigestApplication();
        for (int n = 1; n <= 10; n++)
        {
            replayed.ExecuteBatch(new(n, n), [.. Enumerable.Range((3 * n) - 2, 3).Select(s => SignedRequest.Decode(Request((ulong)s)))]);
        }

        Assert.Equal(replayed.ComputeStateHash(), report.StateHash);
        Assert.StartsWith("verified 11 blocks, 30 transactions, head ", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_byte_in_an_entry_is_reported_at_its_block()
    {
        VerifyReport report = Verify(6, (n, b) => n == 4 ? b with { Body = b.Body with { Entries = [Flip(b.Body.Entries[0], 60), .. b.Body.Entries.Skip(1)] } } : b);
        Assert.Equal((4L, "hashTransactions does not match the entries"), (report.FirstBadBlock, report.Failure));
    }

    [Fact]
    public void A_changed_byte_in_a_result_is_reported_at_its_block()
    {
        VerifyReport report = Verify(6, (n, b) => n == 2 ? b with { Body = b.Body with { Results = [.. b.Body.Results.Take(2), Flip(b.Body.Results[2], 0)] } } : b);
        Assert.Equal((2L, "hashResults does not match the results"), (report.FirstBadBlock, report.Failure));
    }

    [Fact]
    public void A_changed_header_field_breaks_the_certificate()
    {
        VerifyReport report = Verify(5, (n, b) => n == 5 ? b with { Header = b.Header with { LastCheckpoint = 4 } } : b);
        Assert.Equal(5, report.FirstBadBlock);
        Assert.Contains("certificate: the signature of replica 0 does not verify", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_byte_in_a_certificate_signature_is_reported()
    {
        VerifyReport report = Verify(5, (n, b) => n == 3
            ? b with { Certificate = new BlockCertificate([.. b.Certificate!.Signatures.Take(2), (2, Flip(b.Certificate.Signatures[2].Signature, 5))]) }
            : b);
        Assert.Equal((3L, "certificate: the signature of replica 2 does not verify with its key of view 0"), (report.FirstBadBlock, report.Failure));
    }

    [Theory]
    [InlineData("duplicate", "two signatures from replica 1")]
    [InlineData("outsider", "not in view")]
    [InlineData("too-few", "needs 3")]
    public void Certificates_without_a_quorum_of_distinct_members_are_reported(string kind, string reason)
    {
        VerifyReport report = Verify(4, (n, b) =>
        {
            if (n != 2)
            {
                return b;
            }

            var sigs = b.Certificate!.Signatures;
            return b with
            {
                Certificate = kind switch
                {
                    "duplicate" => new BlockCertificate([sigs[0], sigs[1], sigs[1]]),
                    "outsider" => new BlockCertificate([.. sigs, (7, sigs[0].Signature)]),
                    _ => new BlockCertificate([sigs[0], sigs[1]]),
                },
            };
        });
        Assert.Equal(2, report.FirstBadBlock);
        Assert.Contains(reason, report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certified_block_holding_a_forged_client_request_is_still_refused()
    {
        // Even a quorum cannot make an unsigned transaction valid: roots and certificate match, the signature does not.
        VerifyReport report = Verify(3, (n, b) =>
        {
            if (n != 3)
            {
                return b;
            }

            ReadOnlyMemory<byte>[] entries = [.. b.Body.Entries.Take(2), Flip(b.Body.Entries[2], b.Body.Entries[2].Length - 1)];
            Block forged = b with { Header = b.Header with { HashTransactions = BlockMerkle.Root(entries) }, Body = b.Body with { Entries = entries } };
            return forged with { Certificate = _f.Certify(forged) };
        });
        Assert.Equal(3, report.FirstBadBlock);
        Assert.Contains("entry 2", report.Failure, StringComparison.Ordinal);
        Assert.Contains("signature does not verify", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ledger_of_another_genesis_is_refused_at_block_0()
    {
        using (BlockStore store = BlockStore.Open(_f.Folder))
        {
            var other = new GenesisDocument("other-chain", PersistenceMode.Weak, _f.View, ConsensusParameters.Default, 10, []);
            store.Append(Block.Genesis(other));
            store.Commit();
            VerifyReport report = LedgerVerifier.Verify(store, _f.Genesis, new DigestApplication());
            Assert.Equal((0L, "block 0 is not the genesis block of this genesis.json"), (report.FirstBadBlock, report.Failure));
        }
    }

    [Fact]
    public void A_result_that_re_execution_does_not_reproduce_is_reported_even_when_certified()
    {
        // Roots and certificate are consistent with the wrong result: only re-execution catches it.
        VerifyReport report = Verify(5, (n, b) =>
        {
            if (n != 4)
            {
                return b;
            }

            ReadOnlyMemory<byte>[] results = [b.Body.Results[0], Flip(b.Body.Results[1], 3), b.Body.Results[2]];
            Block forged = b with { Header = b.Header with { HashResults = BlockMerkle.Root(results) }, Body = b.Body with { Results = results } };
            return forged with { Certificate = _f.Certify(forged) };
        });
        Assert.Equal(4, report.FirstBadBlock);
        Assert.Contains("result 1", report.Failure, StringComparison.Ordinal);
        Assert.Contains("is not what re-executing the entry produces", report.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Uncertified_blocks_pass_only_at_the_tail()
    {
        Assert.True(Verify(3, (n, b) => n >= 2 ? b with { Certificate = null } : b).Passed);
        Assert.Equal(2, Verify(3, (n, b) => n >= 2 ? b with { Certificate = null } : b).Uncertified);
        int count = LedgerVerifier.UncertifiedTailBlocks + 2;
        VerifyReport hole = Verify(count, (n, b) => n == 1 ? b with { Certificate = null } : b);
        Assert.Equal(1, hole.FirstBadBlock);
        Assert.StartsWith("no certificate, and", hole.Failure, StringComparison.Ordinal);
    }
}
