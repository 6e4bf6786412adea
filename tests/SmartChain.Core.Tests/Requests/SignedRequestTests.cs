using CsCheck;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Core.Tests.Requests;

public sealed class SignedRequestTests : IDisposable
{
    private const string Chain = "smartchain-test";
    private readonly Ed25519KeyPair _client = Ed25519KeyPair.Generate();

    public void Dispose() => _client.Dispose();

    [Fact]
    public void A_created_request_decodes_to_the_same_fields_and_verifies()
    {
        byte[] operation = [1, 2, 3, 4, 5];
        SignedRequest request = SignedRequest.Create(Chain, _client, 42, 1234, operation);
        SignedRequest decoded = SignedRequest.Decode(request.Encoded.ToArray());

        Assert.Equal(Chain, decoded.ChainId);
        Assert.Equal(_client.PublicKey, decoded.Client);
        Assert.Equal(42UL, decoded.Sequence);
        Assert.Equal(1234, decoded.NotBefore);
        Assert.Equal(1234, BitConverter.ToInt64(request.Encoded.Span.Slice(45 + Chain.Length, 8))); // encoding.md's offset, little-endian
        Assert.Equal(operation, decoded.Operation.ToArray());
        Assert.Equal(request.Digest, decoded.Digest);
        Assert.Equal(Hash256.Compute(request.Encoded.Span), request.Digest);
        Assert.Equal(Limits.RequestOverheadBytes + Chain.Length + operation.Length, request.Size);
        Assert.True(decoded.Verify(Chain));
    }

    [Fact]
    public void The_signature_covers_every_byte_before_it()
    {
        SignedRequest request = SignedRequest.Create(Chain, _client, 7, 0, "op"u8);
        Assert.True(Ed25519.Verify(_client.PublicKey, request.SignedBytes.Span, request.Signature.Span));
        Assert.Equal(request.Encoded.Length - Ed25519.SignatureSize, request.SignedBytes.Length);
        Assert.Equal((byte)SignatureDomain.ClientRequest, request.Encoded.Span[0]);
    }

    [Fact]
    public void A_request_signed_for_another_chain_fails_verification()
    {
        SignedRequest request = SignedRequest.Create("other-chain", _client, 1, 0, "op"u8);
        Assert.True(request.Verify("other-chain"));
        Assert.False(request.Verify(Chain));
    }

    [Fact]
    public void Changing_any_byte_makes_the_request_undecodable_or_unverifiable()
    {
        byte[] original = SignedRequest.Create(Chain, _client, 9, 0, "transfer 10"u8).Encoded.ToArray();
        for (int i = 0; i < original.Length; i++)
        {
            foreach (byte flip in (byte[])[0x01, 0x80])
            {
                byte[] changed = [.. original];
                changed[i] ^= flip;
                bool accepted = SignedRequest.TryDecode(changed, out SignedRequest? r, out _) && r!.Verify(Chain);
                Assert.False(accepted, $"byte {i} xor {flip:x2} still verifies");
            }
        }
    }

    [Fact]
    public void Random_bytes_never_decode_to_anything_but_an_EncodingException()
    {
        SignedRequest valid = SignedRequest.Create(Chain, _client, 3, 0, "op"u8);
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            try
            {
                SignedRequest.Decode(bytes);
            }
            catch (EncodingException)
            {
            }
        }, iter: 5000);

        // Mutations of a valid request reach deeper into the decoder than random bytes do.
        Gen.Select(Gen.Int[0, valid.Size - 1], Gen.Byte).Array[1, 8].Sample(edits =>
        {
            byte[] bytes = valid.Encoded.ToArray();
            foreach ((int at, byte value) in edits)
            {
                bytes[at] = value;
            }

            if (SignedRequest.TryDecode(bytes, out SignedRequest? r, out EncodingException? e))
            {
                return r is not null;
            }

            return e is not null;
        }, iter: 5000);
    }

    [Fact]
    public void An_operation_above_the_limit_is_rejected_on_decode()
    {
        SignedRequest request = SignedRequest.Create(Chain, _client, 1, 0, new byte[100]);
        var e = Assert.Throws<EncodingException>(() => SignedRequest.Decode(request.Encoded, maxOperationBytes: 99));
        Assert.Contains("exceeds the limit of 99", e.Reason, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SignedRequest.Create(Chain, _client, 1, 0, new byte[Limits.MaxOperationBytes + 1]));
    }

    [Fact]
    public void Truncated_trailing_and_foreign_inputs_are_rejected_with_reasons()
    {
        byte[] encoded = SignedRequest.Create(Chain, _client, 1, 0, "op"u8).Encoded.ToArray();
        Assert.Contains("truncated", Assert.Throws<EncodingException>(() => SignedRequest.Decode(encoded.AsMemory(0, encoded.Length - 1))).Reason, StringComparison.Ordinal);
        Assert.Contains("trailing", Assert.Throws<EncodingException>(() => SignedRequest.Decode((byte[])[.. encoded, 0])).Reason, StringComparison.Ordinal);

        byte[] wrongTag = [.. encoded];
        wrongTag[0] = (byte)SignatureDomain.BlockHeader;
        Assert.Contains("not a client request", Assert.Throws<EncodingException>(() => SignedRequest.Decode(wrongTag)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_negative_not_before_cannot_be_created_or_decoded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedRequest.Create(Chain, _client, 1, -1, "op"u8));
        byte[] encoded = SignedRequest.Create(Chain, _client, 1, 0, "op"u8).Encoded.ToArray();
        encoded[45 + Chain.Length + 7] = 0x80; // the sign bit of the i64 not-before
        Assert.Throws<EncodingException>(() => SignedRequest.Decode(encoded));
    }

    [Fact]
    public void A_request_with_an_invalid_chain_id_cannot_be_created_or_decoded()
    {
        Assert.Throws<ArgumentException>(() => SignedRequest.Create("Upper Case", _client, 1, 0, "op"u8));
        byte[] encoded = SignedRequest.Create("abc", _client, 1, 0, "op"u8).Encoded.ToArray();
        encoded[5] = (byte)'A';
        Assert.Contains("chain id", Assert.Throws<EncodingException>(() => SignedRequest.Decode(encoded)).Reason, StringComparison.Ordinal);
    }
}
