using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Ledger;
using SmartChain.Node.Transfer;

namespace SmartChain.Node.Tests;

/// <summary>The state-transfer wire format: every message round-trips, and garbage is refused with a reason.</summary>
public class TransferMessageTests
{
    [Fact]
    public void Every_message_round_trips()
    {
        var header = new BlockHeader(66, 0, 60, Hash256.Compute([1]), Hash256.Compute([2]), Hash256.Compute([3]));
        var certificate = new BlockCertificate([(0, new byte[64]), (2, new byte[64])]);
        var block = new Block(header, new BlockBody(61, [new byte[] { 9 }], [new byte[] { 8 }], new byte[] { 7 }), certificate);
        TransferMessage[] messages =
        [
            new TransferMessage.TipRequest(),
            new TransferMessage.Tip(header, certificate),
            new TransferMessage.Tip(header with { Number = 0 }, null),
            new TransferMessage.BlocksRequest(5, 9),
            new TransferMessage.Blocks(66, [block, block with { Certificate = null }]),
            new TransferMessage.SnapshotRequest(60, 1024, 4096),
            new TransferMessage.SnapshotChunk(60, 1024, new byte[] { 1, 2, 3 }),
            new TransferMessage.Unavailable(60, "pruned"),
        ];
        foreach (TransferMessage message in messages)
        {
            TransferMessage decoded = TransferMessage.Decode(message.Encode());
            Assert.Equal(message.GetType(), decoded.GetType());
            Assert.Equal(message.Encode(), decoded.Encode());
        }

        var tip = (TransferMessage.Tip)TransferMessage.Decode(new TransferMessage.Tip(header, certificate).Encode());
        Assert.Equal(66, tip.Header.Number);
        Assert.Equal(header.Hash(), tip.Header.Hash());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 99 })]
    [InlineData(new byte[] { 3, 1, 2 })]
    [InlineData(new byte[] { 1, 0 })]
    public void Garbage_is_refused_with_a_reason(byte[] bytes)
    {
        var e = Assert.Throws<EncodingException>(() => TransferMessage.Decode(bytes));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
