using SmartChain.Core.Crypto;
using SmartChain.Core.Requests;

namespace SmartChain.Ledger.Tests;

public sealed class TransactionReceiptTests : IDisposable
{
    private readonly LedgerFixture _f = new();
    private readonly Ed25519KeyPair _client = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)12, 32).ToArray());
    private readonly BuiltBlock _built;
    private readonly BlockCertificate _certificate;

    public TransactionReceiptTests()
    {
        ReadOnlyMemory<byte>[] entries = [.. Enumerable.Range(1, 5).Select(s => SignedRequest.Create(LedgerFixture.Chain, _client, (ulong)s, 0, [(byte)s]).Encoded)];
        ReadOnlyMemory<byte>[] results = [.. Enumerable.Range(1, 5).Select(s => (ReadOnlyMemory<byte>)new byte[] { 0, (byte)s })];
        _built = BuiltBlock.Next(Block.Genesis(_f.Genesis).Header, 1, entries, results, ReadOnlyMemory<byte>.Empty);
        _certificate = _f.Certify(_built.Block);
    }

    public void Dispose()
    {
        _client.Dispose();
        _f.Dispose();
    }

    [Fact]
    public void Every_entry_s_receipt_verifies_alone_and_survives_its_encoding()
    {
        for (int j = 0; j < 5; j++)
        {
            TransactionReceipt receipt = TransactionReceipt.Decode(_built.Receipt(j, _certificate).Encode());
            Assert.Null(receipt.Verify(_f.View, LedgerFixture.Chain));
            Assert.Equal((1L, j, (ulong)(j + 1)), (receipt.BlockNumber, receipt.Index, receipt.Request().Sequence));
        }
    }

    [Fact]
    public void A_changed_entry_result_index_or_certificate_does_not_verify()
    {
        TransactionReceipt r = _built.Receipt(2, _certificate);
        byte[] result = r.Result.ToArray();
        result[1] ^= 1;
        Assert.Contains("hashResults", (r with { Result = result }).Verify(_f.View, LedgerFixture.Chain), StringComparison.Ordinal);
        Assert.Contains("hashTransactions", (r with { Entry = _built.Block.Body.Entries[3] }).Verify(_f.View, LedgerFixture.Chain), StringComparison.Ordinal);
        Assert.NotNull((r with { Index = 3 }).Verify(_f.View, LedgerFixture.Chain));
        Assert.Contains("needs 3", (r with { Certificate = new([.. _certificate.Signatures.Take(2)]) }).Verify(_f.View, LedgerFixture.Chain), StringComparison.Ordinal);
        Assert.Contains("certificate", (r with { Header = r.Header with { LastCheckpoint = 7 } }).Verify(_f.View, LedgerFixture.Chain), StringComparison.Ordinal);
    }

    [Fact]
    public void Receipts_of_a_block_share_inner_nodes_through_a_memo_and_a_changed_one_still_fails()
    {
        var nodes = new MerkleNodeMemo(1024);
        for (int j = 0; j < 5; j++)
        {
            Assert.Null(_built.Receipt(j, _certificate).Verify(_f.View, LedgerFixture.Chain, nodes: nodes));
        }

        Assert.True(nodes.Hits > 0, "the later receipts of the block looked up no inner node");
        TransactionReceipt r = _built.Receipt(2, _certificate);
        Assert.Contains("hashResults", (r with { Result = _built.Block.Body.Results[3] }).Verify(_f.View, LedgerFixture.Chain, nodes: nodes), StringComparison.Ordinal);
        Assert.Contains("hashTransactions", (r with { Entry = _built.Block.Body.Entries[3] }).Verify(_f.View, LedgerFixture.Chain, nodes: nodes), StringComparison.Ordinal);
        Assert.NotNull((r with { EntryProof = _built.Receipt(3, _certificate).EntryProof }).Verify(_f.View, LedgerFixture.Chain, nodes: nodes));
    }

    [Fact]
    public void Truncated_or_trailing_bytes_are_refused_with_the_offset()
    {
        byte[] bytes = _built.Receipt(0, _certificate).Encode();
        Assert.Throws<Core.Encoding.EncodingException>(() => TransactionReceipt.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<Core.Encoding.EncodingException>(() => TransactionReceipt.Decode([.. bytes, 0]));
    }

    [Fact]
    public void A_certificate_encodes_sorted_by_replica_whatever_order_its_signatures_came_in()
    {
        BlockCertificate sorted = new([.. _certificate.Signatures.OrderBy(s => s.ReplicaId)]);
        BlockCertificate reversed = new([.. _certificate.Signatures.OrderByDescending(s => s.ReplicaId)]);
        Assert.True(sorted.Signatures.Count >= 2);

        byte[] expected = Core.Encoding.CanonicalEncoding.ToArray(sorted, static (ref Core.Encoding.CanonicalWriter w, BlockCertificate c) => c.WriteTo(ref w));
        byte[] fromReversed = Core.Encoding.CanonicalEncoding.ToArray(reversed, static (ref Core.Encoding.CanonicalWriter w, BlockCertificate c) => c.WriteTo(ref w));
        Assert.Equal(expected, fromReversed);
        var reader = new Core.Encoding.CanonicalReader(fromReversed);
        Assert.Equal(sorted.Signatures.Select(s => s.ReplicaId), BlockCertificate.ReadFrom(ref reader).Signatures.Select(s => s.ReplicaId));
        Assert.Equal(_built.Receipt(0, sorted).Encode(), _built.Receipt(0, reversed).Encode());
    }

    [Fact]
    public void A_reply_with_its_receipt_written_in_place_is_the_same_bytes_as_one_with_the_encoded_receipt()
    {
        var reply = new Network.Client.ReplyMessage(Hash256.Compute("r"u8), Network.Client.ReplyStatus.Executed, 7, new byte[] { 1, 2, 3 })
        {
            Block = 1, ViewId = 2, Attestation = new byte[] { 9 },
        };
        for (int j = 0; j < 5; j++)
        {
            TransactionReceipt receipt = _built.Receipt(j, _certificate);
            byte[] encoded = receipt.Encode();
            Assert.Equal(encoded.Length, receipt.EncodedSize);
            byte[] inPlace = reply.Encode(receipt, receipt.EncodedSize, static (ref Core.Encoding.CanonicalWriter w, TransactionReceipt r) => r.WriteTo(ref w));
            Assert.Equal((reply with { Receipt = encoded }).Encode(), inPlace);
            Assert.Equal(encoded, Network.Client.ReplyMessage.Decode(inPlace).Receipt.ToArray());
        }

        TransactionReceipt first = _built.Receipt(0, _certificate);
        Assert.Throws<InvalidOperationException>(() =>
            reply.Encode(first, first.EncodedSize + 1, static (ref Core.Encoding.CanonicalWriter w, TransactionReceipt r) => r.WriteTo(ref w)));
    }
}
