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
    public void Truncated_or_trailing_bytes_are_refused_with_the_offset()
    {
        byte[] bytes = _built.Receipt(0, _certificate).Encode();
        Assert.Throws<Core.Encoding.EncodingException>(() => TransactionReceipt.Decode(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<Core.Encoding.EncodingException>(() => TransactionReceipt.Decode([.. bytes, 0]));
    }
}
