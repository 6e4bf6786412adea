using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Network.Client;

namespace SmartChain.Network.Tests;

public class ClientMessageTests
{
    private static readonly Hash256 Digest = Hash256.Compute("request"u8);

    [Fact]
    public void A_reply_with_block_and_receipt_survives_its_encoding()
    {
        var reply = new ReplyMessage(Digest, ReplyStatus.Executed, 7, new byte[] { 1, 2 }) { Block = 9, Receipt = new byte[] { 5, 6, 7 } };
        ReplyMessage decoded = ReplyMessage.Decode(reply.Encode());
        Assert.Equal((Digest, ReplyStatus.Executed, 7L, 9L), (decoded.Digest, decoded.Status, decoded.Instance, decoded.Block));
        Assert.Equal([1, 2], decoded.Result.ToArray());
        Assert.Equal([5, 6, 7], decoded.Receipt.ToArray());
    }

    [Fact]
    public void Replies_match_on_outcome_block_and_result_whatever_their_receipts()
    {
        var executed = new ReplyMessage(Digest, ReplyStatus.Executed, 7, new byte[] { 1 }) { Block = 9, Receipt = new byte[] { 5 } };
        Assert.True(executed.Matches(executed with { Status = ReplyStatus.Duplicate, Receipt = ReadOnlyMemory<byte>.Empty }));
        Assert.False(executed.Matches(executed with { Block = 10 }));
        Assert.False(executed.Matches(executed with { Result = new byte[] { 2 } }));
    }

    [Fact]
    public void An_unknown_status_or_trailing_bytes_are_refused()
    {
        byte[] bytes = new ReplyMessage(Digest, ReplyStatus.Rejected, 0, ReadOnlyMemory<byte>.Empty).Encode();
        bytes[Hash256.Size] = 9;
        Assert.Contains("unknown reply status 9", Assert.Throws<EncodingException>(() => ReplyMessage.Decode(bytes)).Message, StringComparison.Ordinal);
        Assert.Throws<EncodingException>(() => ReplyMessage.Decode([.. new ReplyMessage(Digest, ReplyStatus.Executed, 0, ReadOnlyMemory<byte>.Empty).Encode(), 0]));
    }
}
