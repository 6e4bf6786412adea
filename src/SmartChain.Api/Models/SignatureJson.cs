namespace SmartChain.Api.Models;

/// <summary>One certificate signature: the signing replica and its Ed25519 signature (hex) with its key of the certifying view.</summary>
public sealed record SignatureJson(int Replica, string Signature);
