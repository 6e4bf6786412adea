using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Ledger;

namespace SmartChain.Node.Tests;

/// <summary>The block-certificate frame (issue 15): a request and an answer round-trip; garbage is refused with a reason.</summary>
public class BlockCertificateMessageTests
{
    private static readonly Hash256 Header = Hash256.Compute("block 7"u8);

    [Fact]
    public void A_request_and_an_answer_round_trip()
    {
        var request = new BlockCertificateMessage(7, Header, Certificate: null);
        var answer = new BlockCertificateMessage(7, Header, new BlockCertificate([(0, new byte[64]), (3, Enumerable.Repeat((byte)5, 64).ToArray())]));

        BlockCertificateMessage asked = BlockCertificateMessage.Decode(request.Encode());
        BlockCertificateMessage answered = BlockCertificateMessage.Decode(answer.Encode());

        Assert.True(asked.Asks);
        Assert.Equal((7L, Header), (asked.Block, asked.HeaderHash));
        Assert.False(answered.Asks);
        Assert.Equal([0, 3], answered.Certificate!.Signatures.Select(s => s.ReplicaId));
        Assert.Equal(answer.Encode(), answered.Encode());
        Assert.Equal(8 + Hash256.Size + 1, request.Encode().Length);
    }

    [Fact]
    public void Truncated_trailing_oversized_or_out_of_range_bytes_are_refused()
    {
        byte[] answer = new BlockCertificateMessage(7, Header, new BlockCertificate([(1, new byte[64])])).Encode();
        byte[] request = new BlockCertificateMessage(7, Header, Certificate: null).Encode();
        byte[] blockZero = new BlockCertificateMessage(7, Header, null).Encode();
        blockZero.AsSpan(0, 8).Clear();

        // A count of signatures beyond any view: refused from the count, before anything is allocated for it.
        byte[] tooMany = [.. request[..^1], 1, Limits.MaxViewMembers + 1, 0, 0, 0]; // u32 count, little-endian

        Assert.Throws<EncodingException>(() => BlockCertificateMessage.Decode(answer.AsSpan(0, answer.Length - 1)));
        Assert.Throws<EncodingException>(() => BlockCertificateMessage.Decode([.. request, 0]));
        Assert.Throws<EncodingException>(() => BlockCertificateMessage.Decode(blockZero));
        Assert.Throws<EncodingException>(() => BlockCertificateMessage.Decode(tooMany));
        Assert.Throws<EncodingException>(() => BlockCertificateMessage.Decode([]));
    }
}
