using SmartChain.Core.Crypto;
using SmartChain.Ledger;
using SmartChain.Network.Client;
using SmartChain.Node.Pipeline;

namespace SmartChain.Node.Tests;

/// <summary>Where a request repeated before its block's replies are released waits, and with which index.</summary>
public sealed class UnreleasedBlocksTests
{
    private static readonly BlockHeader Start = new(0, 0, 0, Hash256.Zero, Hash256.Zero, Hash256.Zero);

    private static LedgerInput.Persist Block(BlockHeader previous, params Hash256?[] digests)
    {
        ReadOnlyMemory<byte>[] entries = [.. digests.Select((_, i) => (ReadOnlyMemory<byte>)new byte[] { (byte)i })];
        BuiltBlock built = BuiltBlock.Next(previous, previous.Number + 1, entries, entries, ReadOnlyMemory<byte>.Empty);
        ReplyMessage?[] replies = [.. digests.Select(d => d is { } digest ? new ReplyMessage(digest, ReplyStatus.Executed, 1, new byte[] { 1 }) : null)];
        return new LedgerInput.Persist(built, replies, []);
    }

    private static Hash256 Digest(byte b) => Hash256.Compute([b]);

    [Fact]
    public void With_nothing_unreleased_a_repeated_request_is_answered_at_once()
    {
        Assert.Null(new UnreleasedBlocks().PlaceRepeated(Digest(1)));
    }

    // The CI once saw a SPEND whose copies reached three replicas only after its decision (the client's links were
    // still connecting): they answered Duplicate without a receipt, ahead of the one receipt-carrying reply, and the
    // wallet had no receipt to save. A repeat that finds its own reply unreleased now waits at that reply's index.
    [Fact]
    public void A_request_whose_reply_waits_in_an_unreleased_block_waits_at_its_own_index_to_get_the_receipt()
    {
        var blocks = new UnreleasedBlocks();
        LedgerInput.Persist first = Block(Start, Digest(1), null, Digest(2));
        LedgerInput.Persist second = Block(first.Block.Block.Header, Digest(3));
        blocks.Hold(first);
        blocks.Hold(second);

        Assert.Equal((first, 2), blocks.PlaceRepeated(Digest(2)));
        Assert.Equal((second, 0), blocks.PlaceRepeated(Digest(3)));
    }

    [Fact]
    public void A_request_decided_earlier_than_every_unreleased_block_waits_for_the_newest_without_an_index()
    {
        var blocks = new UnreleasedBlocks();
        LedgerInput.Persist first = Block(Start, Digest(1));
        LedgerInput.Persist second = Block(first.Block.Block.Header, Digest(3));
        blocks.Hold(first);
        blocks.Hold(second);

        Assert.Equal((second, -1), blocks.PlaceRepeated(Digest(9)));
        Assert.Same(first, blocks.Dequeue());
        Assert.Equal((second, -1), blocks.PlaceRepeated(Digest(1)));
        Assert.Same(second, blocks.Dequeue());
        Assert.Null(blocks.PlaceRepeated(Digest(3)));
    }
}
