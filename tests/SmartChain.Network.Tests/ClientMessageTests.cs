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
    public void A_reply_decoded_in_place_equals_the_copied_one_and_its_fields_are_slices_of_the_bytes()
    {
        var reply = new ReplyMessage(Digest, ReplyStatus.Duplicate, 7, new byte[] { 1, 2 })
        {
            Block = 9, Receipt = new byte[] { 5, 6, 7 }, ViewId = 3, Attestation = new byte[] { 8 },
        };
        byte[] bytes = reply.Encode();
        ReplyMessage copied = ReplyMessage.Decode(bytes);
        ReplyMessage shared = ReplyMessage.DecodeShared(bytes);
        Assert.Equal((copied.Digest, copied.Status, copied.Instance, copied.Block, copied.ViewId), (shared.Digest, shared.Status, shared.Instance, shared.Block, shared.ViewId));
        Assert.Equal(copied.Result.ToArray(), shared.Result.ToArray());
        Assert.Equal(copied.Receipt.ToArray(), shared.Receipt.ToArray());
        Assert.Equal(copied.Attestation.ToArray(), shared.Attestation.ToArray());
        Assert.True(shared.Matches(copied));

        // The receipt is the bytes' own: changing them shows through, which is why only an owner of the bytes may share.
        bytes[^(8 + 4 + 1 + 3)] ^= 0xFF;
        Assert.Equal(5 ^ 0xFF, shared.Receipt.Span[0]);

        byte[] bad = new ReplyMessage(Digest, ReplyStatus.Rejected, 0, ReadOnlyMemory<byte>.Empty).Encode();
        bad[Hash256.Size] = 9;
        Assert.Contains("unknown reply status 9", Assert.Throws<EncodingException>(() => ReplyMessage.DecodeShared(bad)).Message, StringComparison.Ordinal);
        Assert.Throws<EncodingException>(() => ReplyMessage.DecodeShared(bytes.AsMemory(0, bytes.Length - 1)));
        Assert.Throws<EncodingException>(() => ReplyMessage.DecodeShared((byte[])[.. bytes, 0]));
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

    [Fact]
    public void A_query_result_carries_the_replicas_gc_totals_and_refuses_negative_ones()
    {
        var runtime = new RuntimeCounters(123_456_789, 40, 3, 1, TimeSpan.FromMilliseconds(12.5).Ticks);
        var answer = new QueryResultMessage(7, 4, 3, new byte[] { 9 }) { BlockHeight = 5, Leader = 1, Regency = 2, ViewId = 3, Runtime = runtime };
        byte[] bytes = answer.Encode();
        QueryResultMessage decoded = QueryResultMessage.Decode(bytes);
        Assert.Equal(runtime, decoded.Runtime);
        Assert.Equal((5L, 1, 2, 3L), (decoded.BlockHeight, decoded.Leader, decoded.Regency, decoded.ViewId));
        Assert.Equal([9], decoded.Body.ToArray());

        // A count is never negative: the allocated bytes (right after the view) set to -1 are refused.
        bytes.AsSpan(8 + 8 + 4 + 8 + 4 + 4 + 8, 8).Fill(0xFF);
        Assert.Throws<EncodingException>(() => QueryResultMessage.Decode(bytes));
    }

    [Fact]
    public void Gc_totals_over_a_window_are_the_differences_of_its_edges()
    {
        RuntimeCounters start = RuntimeCounters.Sample();
        byte[][] garbage = [.. Enumerable.Range(0, 64).Select(_ => new byte[16 * 1024])];
        RuntimeCounters window = RuntimeCounters.Sample().Since(start);
        Assert.True(window.AllocatedBytes >= 64 * 16 * 1024 - (64 * 1024), $"allocated {window.AllocatedBytes}");
        Assert.True(window.Gen0Collections >= 0 && window.GcPauseTicks >= 0);
        Assert.Equal(new RuntimeCounters(10, 2, 1, 0, 5), new RuntimeCounters(15, 3, 1, 0, 9).Since(new RuntimeCounters(5, 1, 0, 0, 4)));
        GC.KeepAlive(garbage);
    }
}
