namespace SmartChain.Api.Models;

/// <summary>A block certificate: the view whose members signed (null if this replica does not know it) and the signatures.</summary>
public sealed record CertificateJson(long? ViewId, IReadOnlyList<SignatureJson> Signatures);
