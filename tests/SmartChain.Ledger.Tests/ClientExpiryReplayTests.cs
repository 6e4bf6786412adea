using SmartChain.Core.Crypto;
using SmartChain.Core.Genesis;
using SmartChain.Core.Requests;
using SmartChain.Ledger.Checkpoints;
using SmartChain.Ledger.Store;
using SmartChain.Ledger.Verification;
using SmartChain.TestSupport;

namespace SmartChain.Ledger.Tests;

/// <summary>
/// The verifier replays the client table's window and expiry from genesis (issue 14): an expired key's old request
/// in a later block must not execute again, and the same key's new request does.
/// </summary>
public sealed class ClientExpiryReplayTests : IDisposable
{
    private const long Window = 4;
    private readonly LedgerFixture _f = new();
    private readonly GenesisDocument _genesis;
    private readonly Ed25519KeyPair _stranger = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)90, 32).ToArray());
    private readonly Ed25519KeyPair _busy = Ed25519KeyPair.FromSeed(Enumerable.Repeat((byte)91, 32).ToArray());

    public ClientExpiryReplayTests() =>
        _genesis = new GenesisDocument(LedgerFixture.Chain, PersistenceMode.Strong, _f.View, ConsensusParameters.Default with { RequestWindow = Window }, 1000, []);

    public void Dispose()
    {
        _stranger.Dispose();
        _busy.Dispose();
        _f.Dispose();
    }

    [Fact]
    public void An_expired_keys_replayed_request_verifies_only_unexecuted_and_its_new_request_executes()
    {
        SignedRequest old = Request(_stranger, 5, 0);
        SignedRequest renewed = Request(_stranger, 1, 7); // lower sequence: the row was forgotten
        (VerifyReport sound, Hash256 built) = Verify(executeReplay: false, old, renewed);
        Assert.True(sound.Passed, sound.ToString());
        Assert.Equal(built, sound.StateHash); // the replay re-executed exactly what the blocks' builder executed

        (VerifyReport executedTwice, _) = Verify(executeReplay: true, old, renewed);
        Assert.Equal(8, executedTwice.FirstBadBlock);
        Assert.Contains("is not fresh in instance 8", executedTwice.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_snapshot_keeps_each_rows_last_instance_and_refuses_one_it_cannot_have()
    {
        ClientEntry[] rows = [new(_stranger.PublicKey, 5, 1), new(_busy.PublicKey, 9, 7)];
        (byte[] bytes, _) = ReplicaSnapshot.Take(12, 7, rows, [1], static _ => { });
        ReplicaSnapshot parsed = ReplicaSnapshot.Parse(bytes);
        Assert.Equal(rows.OrderBy(r => r.Client), parsed.Clients);

        var restored = new ClientTable(Window);
        restored.Reset(parsed.Clients);
        restored.Record([], 6);
        Assert.Equal(0UL, restored.HighestDecided(_stranger.PublicKey)); // last 1 < 6 − 4: expired as on every replica
        Assert.Equal(9UL, restored.HighestDecided(_busy.PublicKey));

        (byte[] impossible, _) = ReplicaSnapshot.Take(12, 7, [new(_busy.PublicKey, 9, 8)], [1], static _ => { });
        Assert.Throws<Core.Encoding.EncodingException>(() => ReplicaSnapshot.Parse(impossible)); // a row from after the snapshot's instance
    }

    // Instance 1: `old`; instances 2..7: another key's requests; instance 8: `old` again (unexecuted, unless told
    // otherwise) and `renewed`.
    private (VerifyReport Report, Hash256 BuiltState) Verify(bool executeReplay, SignedRequest old, SignedRequest renewed)
    {
        var app = new DigestApplication();
        var blocks = new List<Block> { Block.Genesis(_genesis) };
        for (long instance = 1; instance <= 8; instance++)
        {
            SignedRequest[] entries = instance switch
            {
                1 => [old],
                8 => [old, renewed],
                _ => [Request(_busy, (ulong)instance, instance - 1)],
            };
            SignedRequest[] run = instance == 8 && !executeReplay ? [renewed] : entries;
            byte[][] executed = [.. app.ExecuteBatch(new(instance, instance), run)];
            ReadOnlyMemory<byte>[] results = run.Length == entries.Length ? [.. executed.Select(r => (ReadOnlyMemory<byte>)r)] : [ReadOnlyMemory<byte>.Empty, executed[0]];
            Block block = Block.Next(blocks[^1].Header, instance, [.. entries.Select(r => r.Encoded)], results, ReadOnlyMemory<byte>.Empty);
            blocks.Add(block with { Certificate = _f.Certify(block) });
        }

        using BlockStore store = BlockStore.Open(Path.Combine(_f.Folder, Guid.NewGuid().ToString("N")));
        foreach (Block block in blocks)
        {
            store.Append(block);
        }

        store.Commit();
        return (LedgerVerifier.Verify(store, _genesis, new DigestApplication()), app.ComputeStateHash());
    }

    private static SignedRequest Request(Ed25519KeyPair key, ulong sequence, long notBefore) =>
        SignedRequest.Create(LedgerFixture.Chain, key, sequence, notBefore, [(byte)sequence]);
}
