using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;

namespace SmartChain.Core.Requests;

/// <summary>
/// A client request: the one signed envelope every transaction travels in. Canonical encoding:
/// <code>
/// u8     tag = 0x01 (SignatureDomain.ClientRequest)
/// string chainId      u32 length + UTF-8, ≤ 64 bytes
/// 32 B   client       Ed25519 public key, the issuer
/// u64    sequence     per-client, increasing (may skip)
/// i64    notBefore    an instance the client saw decided (≥ 0); ordered only in instances notBefore+1 .. notBefore+W
/// bytes  operation    u32 length + bytes, application-defined
/// 64 B   signature    Ed25519 over every byte before it
/// </code>
/// The request digest, SHA-256 of the whole encoding, is the transaction id. Applications take the client key
/// as the issuer and never sign or verify a second time.
/// </summary>
public sealed class SignedRequest
{
    private SignedRequest(string chainId, Ed25519PublicKey client, ulong sequence, long notBefore, ReadOnlyMemory<byte> operation,
        ReadOnlyMemory<byte> encoded)
    {
        ChainId = chainId;
        Client = client;
        Sequence = sequence;
        NotBefore = notBefore;
        Operation = operation;
        Encoded = encoded;
        Digest = Hash256.Compute(encoded.Span);
    }

    /// <summary>The network the client signed for.</summary>
    public string ChainId { get; }

    /// <summary>The issuer.</summary>
    public Ed25519PublicKey Client { get; }

    /// <summary>The client's sequence number.</summary>
    public ulong Sequence { get; }

    /// <summary>
    /// An instance the client saw decided: the request may be ordered only in instances <c>NotBefore + 1</c> to
    /// <c>NotBefore + W</c> (genesis <c>consensus.requestWindow</c>), so it is invalid for ever once its window has passed,
    /// and the client table may forget its client (<see cref="ClientTable"/>).
    /// </summary>
    public long NotBefore { get; }

    /// <summary>The application's operation bytes (a slice of <see cref="Encoded"/>).</summary>
    public ReadOnlyMemory<byte> Operation { get; }

    /// <summary>The canonical encoding, signature included.</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>The 64-byte signature (the last bytes of <see cref="Encoded"/>).</summary>
    public ReadOnlyMemory<byte> Signature => Encoded[^Ed25519.SignatureSize..];

    /// <summary>The bytes the signature covers.</summary>
    public ReadOnlyMemory<byte> SignedBytes => Encoded[..^Ed25519.SignatureSize];

    /// <summary>SHA-256 of <see cref="Encoded"/>: the transaction id.</summary>
    public Hash256 Digest { get; }

    /// <summary>Encoded size in bytes.</summary>
    public int Size => Encoded.Length;

    /// <summary>Builds and signs a request.</summary>
    /// <exception cref="ArgumentException">Invalid chain id, or an operation above <see cref="Limits.MaxOperationBytes"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="notBefore"/> is negative.</exception>
    public static SignedRequest Create(string chainId, Ed25519KeyPair client, ulong sequence, long notBefore, ReadOnlySpan<byte> operation)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfNegative(notBefore);
        if (Core.ChainId.Validate(chainId) is { } problem)
        {
            throw new ArgumentException($"chain id {problem}", nameof(chainId));
        }

        if (operation.Length > Limits.MaxOperationBytes)
        {
            throw new ArgumentException($"operation of {operation.Length} bytes exceeds {Limits.MaxOperationBytes}", nameof(operation));
        }

        int chainIdBytes = System.Text.Encoding.UTF8.GetByteCount(chainId);
        byte[] buffer = new byte[Limits.RequestOverheadBytes + chainIdBytes + operation.Length];
        var writer = new CanonicalWriter(new FixedBufferWriter(buffer));
        WriteUnsigned(ref writer, chainId, client.PublicKey, sequence, notBefore, operation);
        int signedLength = writer.Written;
        client.Sign(buffer.AsSpan(0, signedLength), buffer.AsSpan(signedLength, Ed25519.SignatureSize));

        int operationStart = signedLength - operation.Length;
        return new SignedRequest(chainId, client.PublicKey, sequence, notBefore, buffer.AsMemory(operationStart, operation.Length), buffer);
    }

    /// <summary>
    /// Writes every field before the signature: the exact bytes a client signs. For signers that live elsewhere
    /// (a hardware key); append the 64-byte signature to complete the request.
    /// </summary>
    public static void WriteUnsigned(ref CanonicalWriter writer, string chainId, Ed25519PublicKey client, ulong sequence, long notBefore,
        scoped ReadOnlySpan<byte> operation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(notBefore);
        writer.WriteUInt8((byte)SignatureDomain.ClientRequest);
        writer.WriteString(chainId, Limits.MaxChainIdBytes);
        client.WriteTo(ref writer);
        writer.WriteUInt64(sequence);
        writer.WriteInt64(notBefore);
        writer.WriteBytes(operation, Limits.MaxOperationBytes);
    }

    /// <summary>
    /// Decodes a request. The request keeps references into <paramref name="encoded"/>, which the caller must not
    /// modify afterwards. The signature is not checked here; call <see cref="Verify"/>.
    /// </summary>
    /// <exception cref="EncodingException">Not exactly one canonical request within the limits.</exception>
    public static SignedRequest Decode(ReadOnlyMemory<byte> encoded, int maxOperationBytes = Limits.MaxOperationBytes)
    {
        var reader = new CanonicalReader(encoded.Span);
        byte tag = reader.ReadUInt8();
        if (tag != (byte)SignatureDomain.ClientRequest)
        {
            throw new EncodingException(0, $"not a client request: tag {tag}, expected {(byte)SignatureDomain.ClientRequest}");
        }

        int chainIdAt = reader.Position;
        string chainId = reader.ReadString(Limits.MaxChainIdBytes);
        if (Core.ChainId.Validate(chainId) is { } problem)
        {
            throw new EncodingException(chainIdAt, $"chain id {problem}");
        }

        Ed25519PublicKey client = Ed25519PublicKey.ReadFrom(ref reader);
        ulong sequence = reader.ReadUInt64();
        long notBefore = reader.ReadInt64(0, long.MaxValue);
        ReadOnlySpan<byte> operation = reader.ReadBytes(Math.Min(maxOperationBytes, Limits.MaxOperationBytes));
        int operationStart = reader.Position - operation.Length;
        reader.ReadFixed(Ed25519.SignatureSize);
        reader.EnsureEnd();
        return new SignedRequest(chainId, client, sequence, notBefore, encoded.Slice(operationStart, operation.Length), encoded);
    }

    /// <summary>Like <see cref="Decode"/>, reporting failure instead of throwing.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> encoded, out SignedRequest? request, out EncodingException? error,
        int maxOperationBytes = Limits.MaxOperationBytes)
    {
        try
        {
            request = Decode(encoded, maxOperationBytes);
            error = null;
            return true;
        }
        catch (EncodingException e)
        {
            request = null;
            error = e;
            return false;
        }
    }

    /// <summary>
    /// True if the request was signed for <paramref name="expectedChainId"/> and its signature by
    /// <see cref="Client"/> verifies over every byte before it.
    /// </summary>
    public bool Verify(string expectedChainId) =>
        string.Equals(ChainId, expectedChainId, StringComparison.Ordinal) &&
        Ed25519.Verify(Client, SignedBytes.Span, Signature.Span);

    /// <inheritdoc />
    public override string ToString() => $"request {Digest} from {Client} seq {Sequence} not-before {NotBefore} ({Size} B)";
}
