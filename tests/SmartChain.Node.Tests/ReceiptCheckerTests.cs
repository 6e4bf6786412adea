using SmartChain.Client;
using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Core.Views;
using SmartChain.Ledger;
using SmartChain.Ledger.Reconfiguration;
using SmartChain.Network.Client;

namespace SmartChain.Node.Tests;

/// <summary>
/// The client's <see cref="ReceiptChecker"/> remembers what the receipts of one block share (the certificate, by header;
/// the Merkle trees' inner nodes) and compares the entry with the request's bytes instead of hashing it. None of that
/// may let a reply through that a check from scratch refuses: each forged reply here comes after the genuine receipts
/// of its block were accepted, so everything it shares with them is remembered.
/// </summary>
public sealed class ReceiptCheckerTests : IDisposable
{
    private const string Chain = "receipt-checker-test";
    private const int Transactions = 11;
    private readonly Ed25519KeyPair[] _keys = [.. Enumerable.Range(0, 4).Select(i => Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)(60 + i), 32).ToArray()))];
    private readonly Ed25519KeyPair _client = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)70, 32).ToArray());
    private readonly GenesisDocument _genesis;
    private readonly SignedRequest[] _requests;
    private readonly BuiltBlock _built;
    private readonly BlockCertificate _certificate;

    public ReceiptCheckerTests()
    {
        var view = new View(0, Enumerable.Range(0, 4).Select(i => ReplicaMember.WithOneViewKey(i, "127.0.0.1", 1000 + (2 * i), 1001 + (2 * i), _keys[i].PublicKey)));
        _genesis = new GenesisDocument(Chain, PersistenceMode.Strong, view, ConsensusParameters.Default, 1000, []);

        // A salt per run: the checker's memory is shared by the whole process, so this block is new to it.
        byte salt = (byte)Random.Shared.Next(256);
        _requests = [.. Enumerable.Range(1, Transactions).Select(s => SignedRequest.Create(Chain, _client, (ulong)s, 0, [(byte)s, salt]))];
        ReadOnlyMemory<byte>[] results = [.. Enumerable.Range(1, Transactions).Select(s => (ReadOnlyMemory<byte>)new byte[] { 0, (byte)s })];
        _built = BuiltBlock.Next(Block.Genesis(_genesis).Header, 1, [.. _requests.Select(r => r.Encoded)], results, ReadOnlyMemory<byte>.Empty);
        Hash256 header = _built.Block.Header.Hash();
        _certificate = new([.. new[] { 0, 1, 2 }.Select(i => (i, (ReadOnlyMemory<byte>)BlockCertificate.Sign(_keys[i], Chain, header)))]);
    }

    public void Dispose()
    {
        foreach (Ed25519KeyPair key in _keys)
        {
            key.Dispose();
        }

        _client.Dispose();
    }

    private ReceiptChecker Checker() => new(_genesis, new ViewHistory(_genesis.InitialView));

    private ReplyMessage Reply(int index, TransactionReceipt receipt) =>
        new(_requests[index].Digest, ReplyStatus.Executed, 1, receipt.Result) { Block = receipt.BlockNumber, Receipt = receipt.Encode() };

    private ReplyMessage Genuine(int index) => Reply(index, _built.Receipt(index, _certificate));

    [Fact]
    public void Every_receipt_of_a_block_is_accepted_by_bytes_and_by_digest()
    {
        ReceiptChecker checker = Checker();
        for (int i = 0; i < Transactions; i++)
        {
            Assert.Null(checker.Check(Genuine(i), _requests[i].Encoded.Span));
            Assert.Null(checker.Check(Genuine(i)));
        }
    }

    [Fact]
    public void A_receipt_of_another_request_is_refused_by_bytes_as_by_digest()
    {
        ReceiptChecker checker = Checker();
        for (int i = 0; i < Transactions; i++)
        {
            Assert.Null(checker.Check(Genuine(i), _requests[i].Encoded.Span));
        }

        // Replica's reply for request 3 carrying request 4's (valid) receipt, result and all.
        TransactionReceipt other = _built.Receipt(4, _certificate);
        ReplyMessage swapped = Reply(3, other);
        Assert.Equal("the receipt is about another request", checker.Check(swapped, _requests[3].Encoded.Span));
        Assert.Equal("the receipt is about another request", checker.Check(swapped));
    }

    [Fact]
    public void Forged_results_paths_and_headers_are_refused_after_their_block_s_genuine_receipts()
    {
        ReceiptChecker checker = Checker();
        for (int i = 0; i < Transactions; i++)
        {
            Assert.Null(checker.Check(Genuine(i), _requests[i].Encoded.Span));
        }

        TransactionReceipt genuine = _built.Receipt(5, _certificate);
        var forgeries = new List<(string Why, TransactionReceipt Receipt)>
        {
            ("hashResults", genuine with { Result = new byte[] { 9, 9 } }),
            ("hashResults", genuine with { Result = _built.Block.Body.Results[6] }),
            ("hashResults", genuine with { ResultProof = _built.Receipt(6, _certificate).ResultProof }),
            ("hashTransactions", genuine with { EntryProof = new MerkleProof(5, Transactions, [.. genuine.EntryProof.Path.Skip(1)]) }),
            ("certificate", genuine with { Header = genuine.Header with { LastCheckpoint = 7 } }),
            ("certificate", genuine with { Header = genuine.Header with { HashLastBlock = Hash256.Zero } }),
        };
        foreach ((string why, TransactionReceipt forged) in forgeries)
        {
            string? problem = checker.Check(Reply(5, forged), _requests[5].Encoded.Span);
            Assert.NotNull(problem);
            Assert.Contains(why, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_certificate_is_checked_again_for_a_header_that_differs_in_any_field()
    {
        ReceiptChecker checker = Checker();
        Assert.Null(checker.Check(Genuine(0), _requests[0].Encoded.Span));

        // A certificate short of a quorum passes only with the very header whose certificate was accepted already (as
        // it did when the memory was by header hash): the header is remembered field for field, so any other is checked.
        TransactionReceipt weak = _built.Receipt(1, new BlockCertificate([.. _certificate.Signatures.Take(2)]));
        Assert.Null(checker.Check(Reply(1, weak), _requests[1].Encoded.Span));
        TransactionReceipt weakOther = weak with { Header = weak.Header with { LastReconfig = 0, LastCheckpoint = 1 } };
        Assert.Contains("certificate", checker.Check(Reply(1, weakOther), _requests[1].Encoded.Span), StringComparison.Ordinal);
    }
}
