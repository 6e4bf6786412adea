using SmartChain.Core;
using SmartChain.Core.Crypto;
using SmartChain.Core.Encoding;
using SmartChain.Core.Requests;

namespace SmartChain.Reconfiguration.Operations;

/// <summary>
/// A system operation (SPEC §5) as the operation bytes of a signed request: <c>u8 0xFF · u8 kind · body</c>. The request's
/// client key is who asks: the joiner's identity key for JOIN and RECONFIGURE, the member's identity key for LEAVE and
/// EXCLUDE.
/// </summary>
public abstract record ReconfigurationOperation
{
    /// <summary>Largest application payload a JOIN carries.</summary>
    public const int MaxPayloadBytes = 4096;

    /// <summary>Which operation this is.</summary>
    public abstract SystemOperationKind Kind { get; }

    /// <summary>The operation bytes, ready to be signed into a request.</summary>
    public byte[] Encode() => CanonicalEncoding.ToArray(this, static (ref CanonicalWriter w, ReconfigurationOperation op) =>
    {
        w.WriteUInt8(SystemOperation.Tag);
        w.WriteUInt8((byte)op.Kind);
        op.WriteBody(ref w);
    });

    /// <summary>Writes the body after the tag and kind.</summary>
    protected abstract void WriteBody(ref CanonicalWriter writer);

    /// <summary>Decodes the operation of a system request.</summary>
    /// <exception cref="EncodingException">Not a well-formed system operation; the message says where and why.</exception>
    public static ReconfigurationOperation Decode(ReadOnlySpan<byte> operation) => CanonicalEncoding.Decode<ReconfigurationOperation>(operation, static (ref CanonicalReader r) =>
    {
        if (r.ReadUInt8() != SystemOperation.Tag)
        {
            throw new EncodingException(0, "not a system operation");
        }

        int at = r.Position;
        return (SystemOperationKind)r.ReadUInt8() switch
        {
            SystemOperationKind.Join => JoinOperation.ReadBody(ref r),
            SystemOperationKind.Reconfigure => ReconfigureOperation.ReadBody(ref r),
            SystemOperationKind.Leave => new LeaveOperation(r.ReadInt32()),
            SystemOperationKind.Exclude => new ExcludeOperation(r.ReadInt32()),
            var kind => throw new EncodingException(at, $"unknown system operation {(byte)kind}"),
        };
    });

    /// <summary>Decodes, or returns null with the reason.</summary>
    public static ReconfigurationOperation? TryDecode(ReadOnlySpan<byte> operation, out string? error)
    {
        try
        {
            error = null;
            return Decode(operation);
        }
        catch (EncodingException e)
        {
            error = $"malformed system operation: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// What a replica checks before it orders a system request (no state needed): the request's signature for this chain
    /// and that the operation decodes. Null if it may be ordered.
    /// </summary>
    public static string? CheckTx(SignedRequest request, string chainId)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Verify(chainId))
        {
            return $"signature does not verify for chain {chainId}";
        }

        _ = TryDecode(request.Operation.Span, out string? error);
        return error;
    }

    /// <summary>Signs this operation into a request by <paramref name="issuer"/>.</summary>
    public SignedRequest Sign(string chainId, Ed25519KeyPair issuer, ulong sequence, long notBefore) => SignedRequest.Create(chainId, issuer, sequence, notBefore, Encode());

    internal static void CheckLimit(int count, int limit, int at, string what)
    {
        if (count > limit)
        {
            throw new EncodingException(at, $"{count} {what}; at most {limit}");
        }
    }

    /// <summary>Largest join request a RECONFIGURE may embed.</summary>
    internal const int MaxEmbeddedRequestBytes = Limits.MaxRequestBytes;
}
